"""Development settings: the offline demo magazine, relative URLs, live reload.

Every Kring setting is listed in the README with its default; the plugins
read them with those defaults, so this file only sets what differs.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Our plugins import each other's shared pieces (kring_core, kring_directory)
# and the project's kring/ package (the feed pipeline, the link check), also
# when plain `pelican` reads this file.
for _folder in (os.path.join(HERE, "plugins"), HERE):
    if _folder not in sys.path:
        sys.path.insert(0, _folder)

SITENAME = "Kring"
SITESUBTITLE = "Magazine en kennisnetwerk van de Kring-community"
SITEURL = ""
RELATIVE_URLS = True
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Europe/Amsterdam"
DEFAULT_LANG = "nl"
DEFAULT_DATE_FORMAT = "%-d %B %Y"
LOCALE = ("nl_NL.UTF-8", "C.UTF-8", "")

PLUGIN_PATHS = ["plugins"]
# kring_search before kring_crosslinks: Pagefind indexes while the link check runs.
PLUGINS = ["kring_core", "kring_speed", "kring_theme", "kring_directory", "kring_members", "kring_groups", "kring_issues", "kring_community", "kring_responses", "kring_events", "kring_search", "kring_crosslinks", "kring_knowledge", "kring_share", "kring_csp"]

# Where each kind of content lives under content/.
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
KRING_MEMBERS_PATH = "members"
KRING_GROUPS_PATH = "groups"

# Community feeds: the archive `make fetch` fills and the build reads (var/ is not in git).
KRING_FEED_ARCHIVE = os.path.join(HERE, "var", "community.sqlite")
# Readers respond by e-mail to this address ("Reageer" under every article); see content/responses/.
KRING_RESPONSE_EMAIL = "redactie@kring.example.nl"
# Members' posts link to the published site: those links make them responses in development too.
KRING_SITE_ADDRESSES = [os.environ.get("KRING_SITEURL", "https://kring.example.nl")]

# URLs of the design brief: directories, no .html.
ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
ARTICLE_LANG_URL = "articles/{slug}/{lang}/"
ARTICLE_LANG_SAVE_AS = "articles/{slug}/{lang}/index.html"
DRAFT_URL = "drafts/articles/{slug}/"
DRAFT_SAVE_AS = "drafts/articles/{slug}/index.html"
DRAFT_LANG_URL = "drafts/articles/{slug}/{lang}/"
DRAFT_LANG_SAVE_AS = "drafts/articles/{slug}/{lang}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{slug}/{lang}/"
PAGE_LANG_SAVE_AS = "{slug}/{lang}/index.html"
DRAFT_PAGE_URL = "drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = "drafts/pages/{slug}/index.html"
DRAFT_PAGE_LANG_URL = "drafts/pages/{slug}/{lang}/"
DRAFT_PAGE_LANG_SAVE_AS = "drafts/pages/{slug}/{lang}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
# The search page (kring_search indexes the site with Pagefind after each build).
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "search"]
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
# Members replace Pelican's author pages; groups replace its categories.
AUTHOR_URL = "members/{slug}/"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
# Pelican needs a category on every article (its draft writer crashes without
# one) but writes no category pages while CATEGORY_SAVE_AS is empty.
DEFAULT_METADATA = {"category": "magazine"}
USE_FOLDER_AS_CATEGORY = False

# Pagination in folders: /members/x/page/2/ can never collide with another slug
# (Pelican's default lets author "A 1" page 2 overwrite author "A 12").
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
PAGINATED_TEMPLATES = {"index": None, "tag": None, "member": None, "group": None, "expert": None}

# Feeds: the site feed plus one per member and group (written by the plugins).
# Feeds need absolute links; in development they point at `make serve`.
FEED_DOMAIN = "http://localhost:8000"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 20

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        # Typographic quotes, dashes and ellipses; the quotes follow each file's language
        # (Dutch „…” and ‘…’, English “…” and ‘…’; KRING_QUOTES in the README).
        "markdown.extensions.smarty": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}

# The knowledge map (/experts/): spellings members use for one topic.
KRING_TOPIC_ALIASES = {"ITIL 4": "ITIL", "ITIL4": "ITIL", "itil": "ITIL", "M_o_R": "M_o_R", "MoR": "M_o_R"}

DELETE_OUTPUT_DIRECTORY = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# Templates escape everything unless marked |safe (only our rendered HTML is).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
