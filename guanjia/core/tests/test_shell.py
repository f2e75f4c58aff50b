"""The page shell: language, role-aware navigation, community switcher, messages, pagination,
print and phone layout, local assets."""

import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from guanjia.accounts.tests.factories import grant
from guanjia.core.middleware import SESSION_KEY
from guanjia.core.tests.factories import CommunityFactory

BASE = Path(django_settings.BASE_DIR)
HOME = "/"


def _zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


# --- Language ------------------------------------------------------------------------------


def test_the_default_language_is_simplified_chinese(client):
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()
    assert _zh("Log in") in response.content.decode()


def test_the_catalogue_really_is_chinese():
    # If this fails, run `make messages` (compilemessages): without it every page is English.
    assert _zh("Log in") != "Log in"


def test_switching_to_english_shows_english_pages(world):
    client = world.client("receptionist")
    response = client.post(reverse("set_language"), {"language": "en", "next": HOME})
    assert response.status_code == 302
    page = client.get(HOME).content.decode()
    assert '<html lang="en">' in page
    assert "Log out" in page
    assert _zh("Log out") not in page


def test_switching_back_to_chinese(world):
    client = world.client("receptionist")
    client.post(reverse("set_language"), {"language": "en", "next": HOME})
    client.post(reverse("set_language"), {"language": "zh-hans", "next": HOME})
    assert '<html lang="zh-hans">' in client.get(HOME).content.decode()


def test_an_unknown_language_keeps_chinese(world):
    client = world.client("receptionist")
    client.post(reverse("set_language"), {"language": "xx", "next": HOME})
    assert '<html lang="zh-hans">' in client.get(HOME).content.decode()


def test_the_language_can_be_switched_before_logging_in():
    client = Client()
    login = reverse("login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response["Location"] == login
    assert '<html lang="en">' in client.get(login).content.decode()


def test_the_language_switch_is_on_the_login_page_and_in_the_navbar(world):
    assert reverse("set_language") in Client().get(reverse("login")).content.decode()
    assert 'id="language-switch"' in world.client("receptionist").get(HOME).content.decode()


# --- Navigation ----------------------------------------------------------------------------


def test_the_navigation_leaves_out_items_the_role_may_not_use(world):
    page = world.client("receptionist").get(HOME).content.decode()
    assert reverse("accounts:lockout-list") not in page
    assert reverse("accounts:staff-list") not in page


def test_the_navigation_shows_items_the_role_may_use(world):
    page = world.client("admin").get(HOME).content.decode()
    assert reverse("accounts:lockout-list") in page
    assert reverse("accounts:staff-list") in page


def test_the_navigation_groups_items_by_section(world):
    from guanjia.core.context_processors import NavItem, nav_sections

    items = [NavItem("系统", "员工", "/staff/"), NavItem("设置", "参数", "/p/"),
             NavItem("系统", "锁定", "/staff/lockouts/")]  # fmt: skip
    assert nav_sections(items) == [("系统", [items[0], items[2]]), ("设置", [items[1]])]
    page = world.client("admin").get(HOME).content.decode()
    menus = re.findall(r'data-bs-toggle="dropdown".*?</ul>', page, re.DOTALL)
    system = [m for m in menus if reverse("accounts:lockout-list") in m]
    assert len(system) == 1
    assert reverse("accounts:staff-list") in system[0]


def test_anonymous_visitors_see_no_navigation():
    assert 'id="main-nav"' not in Client().get(reverse("login")).content.decode()


def test_the_home_page_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from guanjia.core.workbench.selectors import visible_figure_groups, visible_task_kinds

    client = world.client("director")
    client.get(HOME)
    director = world.user("director")
    # The shell (session, user, access, communities, the bell: 6 measured), the company's
    # policies (1, read once a request: the leave a director may approve depends on them) and
    # the workbench: one query per task kind and figure group of the director's roles.
    workbench = len(visible_task_kinds(director, world.a)) + len(
        visible_figure_groups(director, world.a)
    )
    with django_assert_max_num_queries(6 + 1 + workbench):
        assert client.get(HOME).status_code == 200


# --- Community switcher --------------------------------------------------------------------


@pytest.fixture
def two_communities(world):
    """A receptionist who works in both A and B."""
    grant(world.user("receptionist"), "receptionist", world.b)
    return world.client("receptionist")


def test_the_switcher_lists_the_communities_the_user_works_in(two_communities, world):
    page = two_communities.get(HOME).content.decode()
    assert 'id="community-switch"' in page
    assert world.a.name in page
    assert world.b.name in page


def test_one_community_is_shown_without_a_switcher(world):
    page = world.client("receptionist").get(HOME).content.decode()
    assert 'id="community-switch"' not in page
    assert world.a.name in page


def test_switching_community_changes_where_the_user_works(two_communities, world):
    response = two_communities.post(
        reverse("core:switch-community"), {"community": world.b.pk, "next": "/staff/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert two_communities.session[SESSION_KEY] == world.b.pk
    page = two_communities.get(HOME).content.decode()
    with translation.override("zh-hans"):
        message = gettext("Now working in %(community)s.") % {"community": world.b.name}
    assert message in page


def test_switching_to_a_community_the_user_does_not_work_in_is_404(world):
    client = world.client("receptionist")
    other = CommunityFactory(company=world.company, code="c", name="丙小区")
    for community in (world.b, other):
        response = client.post(reverse("core:switch-community"), {"community": community.pk})
        assert response.status_code == 404
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999999999999999"])
def test_a_malformed_community_is_404(world, value):
    client = world.client("receptionist")
    response = client.post(reverse("core:switch-community"), {"community": value})
    assert response.status_code == 404


def test_switching_does_not_redirect_to_another_site(two_communities, world):
    response = two_communities.post(
        reverse("core:switch-community"),
        {"community": world.b.pk, "next": "https://evil.example.com/"},
    )
    assert response["Location"] == HOME


def test_switching_needs_post(world):
    response = world.client("receptionist").get(reverse("core:switch-community"))
    assert response.status_code == 405


# --- Messages and pagination ---------------------------------------------------------------


def test_messages_render_as_dismissible_alerts():
    class Message:
        tags = "error"

        def __str__(self) -> str:
            return "出错了"

    html = render_to_string("includes/_messages.html", {"messages": [Message()]})
    assert "alert-danger" in html
    assert "出错了" in html
    assert 'data-bs-dismiss="alert"' in html


def test_the_pagination_partial_keeps_the_filter_in_its_links():
    page = Paginator(list(range(100)), 25).page(2)
    with translation.override("en"):
        html = render_to_string("includes/_pagination.html", {"page_obj": page, "query": "q=wang"})
    assert 'href="?q=wang&page=1"' in html
    assert 'href="?q=wang&page=3"' in html
    assert "Page 2 of 4" in html


def test_a_single_page_shows_no_pagination():
    page = Paginator(list(range(10)), 25).page(1)
    assert render_to_string("includes/_pagination.html", {"page_obj": page}).strip() == ""


# --- Print, phone, assets ------------------------------------------------------------------


def test_pages_print_without_navigation(world):
    page = world.client("receptionist").get(HOME).content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/print\.css" media="print">', page)
    assert re.search(r'<nav class="[^"]*d-print-none', page)
    print_css = (BASE / "static/css/print.css").read_text()
    assert re.search(r"\.d-print-none, nav, footer[^{]*\{\s*display: none !important", print_css)


def test_pages_fit_a_phone(world):
    page = world.client("receptionist").get(HOME).content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "navbar-expand-lg" in page  # collapses below the lg breakpoint
    assert 'class="navbar-toggler"' in page


PRINT_TEMPLATES = re.compile(r"(_print\.html$|^documents/|pdf)")


def test_every_table_scrolls_sideways_on_a_phone():
    """A table is wrapped in .table-responsive (in its template or the one including it).
    Exempt: print and PDF templates, and grids laid out to fit (`table-layout: fixed`)."""
    root = BASE / "templates"
    texts = {p.relative_to(root).as_posix(): p.read_text() for p in root.glob("**/*.html")}
    missing = []
    for name, text in texts.items():
        if "<table" not in text or PRINT_TEMPLATES.search(name) or "table-layout: fixed" in text:
            continue
        includers = [t for t in texts.values() if f'"{name}"' in t or f"'{name}'" in t]
        wrapped = "table-responsive" in text or any("table-responsive" in t for t in includers)
        if not wrapped:
            missing.append(name)
    assert not missing, f"tables without a .table-responsive wrapper: {missing}"


@pytest.mark.parametrize(
    "asset",
    [
        "bootstrap/css/bootstrap.min.css",
        "bootstrap/js/bootstrap.bundle.min.js",
        "django_htmx/htmx-2.min.js",
        "js/guanjia.js",
        "css/guanjia.css",
        "css/print.css",
    ],
)
def test_every_asset_is_served_locally(asset):
    assert finders.find(asset), f"{asset} is not among the static files"


def test_the_vendored_bootstrap_is_the_pinned_release_byte_for_byte():
    folder = BASE / "vendor" / "bootstrap"
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        expected, name = line.split()
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == expected, name
    assert "Bootstrap  v5.3.8 " in (folder / "css" / "bootstrap.min.css").read_text()[:200]


def test_no_page_loads_anything_from_another_site():
    offenders = [
        p.name
        for p in (BASE / "templates").glob("**/*.html")
        if re.search(r"""(src|href)=["'](https?:)?//""", p.read_text())
    ]
    assert not offenders


def test_slash_focuses_the_search_box():
    script = (BASE / "static/js/guanjia.js").read_text()
    assert 'event.key !== "/"' in script
    assert "[data-search-box]" in script


def test_every_filter_form_folds_on_a_phone():
    """A list's filter form folds behind the 筛选条件 button on a phone (the list comes
    first): a template that shows `filter.form` uses includes/_filter.html or, laying out its
    own form, includes/_filter_toggle.html inside the `list-filters` collapse."""
    unfolded = []
    for path in sorted((BASE / "templates").rglob("*.html")):
        text = path.read_text()
        if "includes" in path.parts or "filter.form" not in text:
            continue
        if "includes/_filter.html" in text:
            continue
        if "includes/_filter_toggle.html" not in text or 'id="list-filters"' not in text:
            unfolded.append(str(path.relative_to(BASE)))
    assert unfolded == []
