"""Live-reload preview for editors: rebuild on save, refresh the browser.

One Pelican instance is reused between rebuilds (every run starts with fresh
state, kring_core's ``Run``); a change to the settings file makes a fresh one.
An editor's mistake is printed and the last good site stays up.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os

from livereload import Server
from pelican import Pelican
from pelican.log import init as init_logging

from kring_core.errors import BuildFailed, BuildStopped, write_failed

from .build import load_settings

WATCHED = ("content", "theme", "plugins")

# The inline script livereload (pinned) puts into every page it serves, when it
# serves live reload on the page's own port; tests/test_serve.py checks it is this.
LIVE_SCRIPT = ('(function(){var s=document.createElement("script");'
               "var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
               's.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
               "document.head.appendChild(s);})();")


def live_reload_source() -> str:
    """The CSP source that allows livereload's inline script (and nothing else inline)."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(LIVE_SCRIPT.encode()).digest()).decode() + "'"


class Rebuilder:
    def __init__(self, settings_file: str, overrides: dict | None = None):
        self.settings_file = settings_file
        # The rebuilt pages are served at once; Pagefind's search index follows a few seconds later.
        self.overrides = {"KRING_SEARCH_INDEX_WAIT": False, **(overrides or {})}
        self.settings_mtime = None
        self.pelican = None

    def _instance(self) -> Pelican:
        mtime = os.path.getmtime(self.settings_file)
        if self.pelican is None or mtime != self.settings_mtime:
            settings = load_settings(self.settings_file, self.overrides)
            if "kring_csp" in settings.get("PLUGINS", []):  # the preview keeps the site's policy
                from kring_csp import add_script_source, read

                settings["KRING_CSP"] = add_script_source(read(settings)["KRING_CSP"], live_reload_source())
            self.pelican = Pelican(settings)
            self.settings_mtime = mtime
        return self.pelican

    def __call__(self) -> bool:
        try:
            self._instance().run()
        except (BuildStopped, BuildFailed) as stop:
            print(f"\n{stop}\n(The last good build is still being served.)\n", flush=True)
            return False
        except OSError as err:
            print(f"\n{write_failed(err)}\n(The last good build is still being served.)\n", flush=True)
            return False
        return True


def serve(settings_file: str, host: str = "localhost", port: int = 8000, overrides: dict | None = None) -> None:
    init_logging(level=logging.WARNING)
    # Each rebuild says how many pages it rendered and why: the speed layer's INFO lines.
    logging.getLogger("kring_speed").setLevel(logging.INFO)
    rebuild = Rebuilder(settings_file, overrides)
    rebuild()
    root = os.path.dirname(os.path.abspath(settings_file))
    settings = rebuild.pelican.settings
    output = rebuild.pelican.output_path
    server = Server()
    watched = {os.path.join(root, folder) for folder in WATCHED} | {settings["PATH"], settings["THEME"]}
    for folder in sorted(watched):
        server.watch(folder, rebuild, delay=0.3)
    server.watch(settings_file, rebuild)
    print(f"Serving {output} on http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
    server.serve(root=output, host=host, port=port, restart_delay=0, open_url_delay=None)
