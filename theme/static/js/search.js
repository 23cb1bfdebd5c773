// Kring search page: runs the Pagefind index in the browser.
// Only this page loads JavaScript; without it the page explains what to do.
(function () {
  "use strict";
  var form = document.querySelector("[data-kring-search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var PAGE = 10; // results shown at a time; "More results" loads the next ones
  var pending = [];
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
    // The page names its kind with a key; the label is in this page's language.
    var label = item.meta && item.meta.kind && form.getAttribute("data-kind-" + item.meta.kind);
    if (label) {
      var kind = document.createElement("span");
      kind.className = "search-result__kind";
      kind.textContent = label;
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

  // Show the next PAGE results; with focus=true the first new one takes the focus,
  // so a keyboard reader continues where the new results begin.
  function showNext(ticket, focus) {
    var batch = pending.splice(0, PAGE);
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (ticket !== latest) return;
      var first = null;
      items.forEach(function (item) {
        var li = show(item);
        list.appendChild(li);
        first = first || li.querySelector("a");
      });
      more.hidden = pending.length === 0;
      if (focus && first) first.focus();
    });
  }

  function run(q) {
    var ticket = ++latest;
    list.replaceChildren();
    pending = [];
    more.hidden = true;
    if (!q) { status.textContent = ""; return; }
    status.textContent = message("searching", 0, q);
    pagefind().then(function (pf) { return pf.search(q); }).then(function (search) {
      if (ticket !== latest) return;
      var total = search.results.length;
      pending = search.results.slice();
      return showNext(ticket, false).then(function () {
        if (ticket !== latest) return;
        var name = total === 0 ? "none" : total === 1 ? "one" : "many";
        status.textContent = message(name, total, q);
      });
    }).catch(function () {
      if (ticket === latest) status.textContent = message("failed", 0, q);
    });
  }

  more.addEventListener("click", function () {
    var ticket = latest;
    showNext(ticket, true).catch(function () {
      if (ticket === latest) status.textContent = message("failed", 0, input.value.trim());
    });
  });

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
