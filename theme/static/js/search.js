// Kring search page: runs the Pagefind index in the browser.
// Only this page loads JavaScript; without it the page explains what to do.
(function () {
  "use strict";
  var form = document.querySelector("[data-kring-search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var base = new URL((form.getAttribute("data-base") || ".") + "/", location.href);
  var loading = null;
  var latest = 0;

  function message(name, n, q) {
    return form.getAttribute("data-msg-" + name).replace("{n}", n).replace("{q}", q);
  }

  function pagefind() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
        // No worker: saves a second 40 KB download for a one-page search.
        return pf.options({ baseUrl: base.pathname, noWorker: true }).then(function () { return pf; });
      });
    }
    return loading;
  }

  // Pagefind's excerpts are escaped text plus <mark> around hits. Parse them in an
  // inert document and copy only text and <mark>, so nothing else can ever render.
  function excerpt(html) {
    var p = document.createElement("p");
    var parsed = new DOMParser().parseFromString(html, "text/html").body.childNodes;
    Array.prototype.forEach.call(parsed, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function show(item) {
    var li = document.createElement("li");
    li.className = "search-result";
    if (item.meta && item.meta.kind) {
      var kind = document.createElement("span");
      kind.className = "search-result__kind";
      kind.textContent = item.meta.kind;
      li.appendChild(kind);
    }
    var a = document.createElement("a");
    a.href = item.url;
    a.className = "search-result__title";
    a.textContent = (item.meta && item.meta.title) || item.url;
    li.appendChild(a);
    // A hit in a section with its own heading (a slide's text: "Dia 12") links there and names it.
    var section = (item.sub_results || []).filter(function (s) {
      return s.url.indexOf("#") > 0 && s.locations && s.locations.length;
    })[0];
    if (section) {
      var where = document.createElement("a");
      where.href = section.url;
      where.className = "search-result__section";
      where.textContent = section.title;
      li.appendChild(document.createTextNode(" · "));
      li.appendChild(where);
      li.appendChild(excerpt(section.excerpt || ""));
    } else {
      li.appendChild(excerpt(item.excerpt || ""));
    }
    return li;
  }

  function run(q) {
    var ticket = ++latest;
    list.replaceChildren();
    if (!q) { status.textContent = ""; return; }
    status.textContent = message("searching", 0, q);
    pagefind().then(function (pf) { return pf.search(q); }).then(function (search) {
      return Promise.all(search.results.slice(0, 10).map(function (r) { return r.data(); }))
        .then(function (items) { return { total: search.results.length, items: items }; });
    }).then(function (found) {
      if (ticket !== latest) return;
      var name = found.total === 0 ? "none" : found.total === 1 ? "one" : "many";
      status.textContent = message(name, found.total, q);
      found.items.forEach(function (item) { list.appendChild(show(item)); });
    }).catch(function () {
      if (ticket === latest) status.textContent = message("failed", 0, q);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var q = input.value.trim();
    history.replaceState(null, "", "?q=" + encodeURIComponent(q));
    run(q);
  });

  var q = new URLSearchParams(location.search).get("q") || "";
  input.value = q;
  var box = document.getElementById("search-box-q");
  if (box) box.value = q;
  run(q.trim());
})();
