"""Settings of the issues plugin, read once per run with defaults."""

DEFAULTS = {
    "KRING_ISSUES_PATH": "issues",
    "KRING_ISSUE_METADATA": "issue",  # the article field naming its issue (TWiR: "number")
    "KRING_ISSUE_IMPLICIT": False,  # an issue named by an article needs no issue file
    "KRING_PREVIEW": True,  # drafts and future issues visible (marked); False in publishconf
    "ISSUE_URL": "issues/{number}/",
    "ISSUE_SAVE_AS": "issues/{number}/index.html",
    "ISSUE_FEED_ATOM": "issues/{number}/feed.atom.xml",
    "ISSUE_NEWSLETTER_SAVE_AS": "issues/{number}/newsletter.html",
    "ISSUE_NEWSLETTER_TEXT_SAVE_AS": "issues/{number}/newsletter.txt",
    "ISSUES_URL": "issues/",
    "ISSUES_SAVE_AS": "issues/index.html",
    "KRING_NEWSLETTER_SITEURL": "",  # absolute base of newsletter links; default SITEURL or FEED_DOMAIN
}


def read(settings) -> dict:
    return {key: settings.get(key, default) for key, default in DEFAULTS.items()}
