from guanjia.core.tests.matrix import RouteCase

ADMIN_WIDE = "staff accounts are changed by the company-wide admin role, who sees every "
ADMIN_WIDE += "community of the company; accounts/tests/test_staff_views.py proves 404 for "
ADMIN_WIDE += "another company's staff"


def _staff_in(world, community):
    """A receptionist working in `community`: the account the route acts on."""
    from guanjia.accounts.tests.factories import staff

    return {"pk": staff("receptionist", community, company=world.company).pk}


def _membership_in(world, community):
    from guanjia.accounts.tests.factories import grant, staff

    user = staff("cashier", community, company=world.company)
    return {"pk": grant(user, "receptionist", community).pk}


def _new_account(world, community):
    return {"username": "newcomer", "full_name": "新同事", "phone": "13800001234"}


def _role_in(world, community):
    return {"role": "cashier", "community": community.pk, "starts_on": "2026-01-01"}


ROUTES = [
    RouteCase("login", allowed=None, public=True, max_queries=2),
    RouteCase(
        "logout",
        allowed="receptionist",
        method="POST",
        scoped=False,
        why_unscoped="logging out concerns no community",
        max_queries=9,
    ),
    RouteCase(
        "password_change",
        allowed="receptionist",
        scoped=False,
        why_unscoped="a user's own password",
        max_queries=10,
    ),
    RouteCase(
        "password_change_done",
        allowed="receptionist",
        scoped=False,
        why_unscoped="a user's own password",
        max_queries=10,
    ),
    RouteCase(
        "accounts-api:me",
        allowed="receptionist",
        api=True,
        scoped=False,
        why_unscoped="the caller's own profile",
        max_queries=10,
    ),
    RouteCase(
        "accounts:staff-list",
        allowed="director",
        denied="receptionist",
        scoped=False,
        why_unscoped="the list shows only visible staff (test_staff_views.py)",
        max_queries=15,
    ),
    RouteCase(
        "accounts:staff-export",
        allowed="director",
        denied="receptionist",
        scoped=False,
        why_unscoped="the export holds only visible staff (test_staff_views.py)",
        max_queries=13,
    ),
    RouteCase(
        "accounts:staff-create",
        allowed="admin",
        denied="director",
        scoped=False,
        why_unscoped="a new account belongs to no community yet",
        max_queries=11,
    ),
    RouteCase(
        "accounts:staff-create",
        allowed="admin",
        denied="director",
        method="POST",
        data=_new_account,
        scoped=False,
        why_unscoped="a new account belongs to no community yet",
        max_queries=18,
    ),
    RouteCase(
        "accounts:staff-detail",
        allowed="director",
        denied="receptionist",
        kwargs=_staff_in,
        max_queries=15,
    ),
    RouteCase(
        "accounts:staff-history",
        allowed="director",
        denied="receptionist",
        kwargs=_staff_in,
        max_queries=16,
    ),
    RouteCase(
        "accounts:staff-edit",
        allowed="admin",
        denied="director",
        kwargs=_staff_in,
        scoped=False,
        why_unscoped=ADMIN_WIDE,
        max_queries=12,
    ),
    RouteCase(
        "accounts:staff-edit",
        allowed="admin",
        denied="director",
        method="POST",
        kwargs=_staff_in,
        data=lambda w, c: {"full_name": "改名", "phone": "13900001234"},
        scoped=False,
        why_unscoped=ADMIN_WIDE,
        max_queries=16,
    ),
    RouteCase(
        "accounts:staff-password",
        allowed="admin",
        denied="director",
        kwargs=_staff_in,
        scoped=False,
        why_unscoped=ADMIN_WIDE,
        max_queries=12,
    ),
    RouteCase(
        "accounts:staff-password",
        allowed="admin",
        denied="director",
        method="POST",
        kwargs=_staff_in,
        scoped=False,
        why_unscoped=ADMIN_WIDE,
        max_queries=18,
    ),
    RouteCase(
        "accounts:staff-deactivate",
        allowed="admin",
        denied="director",
        method="POST",
        kwargs=_staff_in,
        data=lambda w, c: {"reason": "离职"},
        scoped=False,
        why_unscoped=ADMIN_WIDE,
        max_queries=17,
    ),
    RouteCase(
        "accounts:staff-reactivate",
        allowed="admin",
        denied="director",
        method="POST",
        kwargs=_staff_in,
        scoped=False,
        why_unscoped=ADMIN_WIDE,
        max_queries=15,
    ),
    RouteCase(
        "accounts:membership-add",
        allowed="admin",
        denied="director",
        kwargs=_staff_in,
        scoped=False,
        why_unscoped=ADMIN_WIDE,
        max_queries=13,
    ),
    RouteCase(
        "accounts:membership-add",
        allowed="admin",
        denied="director",
        method="POST",
        kwargs=_staff_in,
        data=_role_in,
        scoped=False,
        why_unscoped=ADMIN_WIDE,
        max_queries=19,
    ),
    RouteCase(
        "accounts:membership-end",
        allowed="admin",
        denied="director",
        method="POST",
        kwargs=_membership_in,
        scoped=False,
        why_unscoped=ADMIN_WIDE,
        max_queries=17,
    ),
    RouteCase(
        "accounts-api:user-list",
        allowed="director",
        denied="receptionist",
        api=True,
        scoped=False,
        why_unscoped="the list shows only visible staff (test_staff_api.py)",
        max_queries=13,
    ),
    RouteCase(
        "accounts-api:user-list",
        allowed="admin",
        denied="director",
        method="POST",
        api=True,
        data=_new_account,
        ok=(201,),
        scoped=False,
        why_unscoped="a new account belongs to no community yet",
        max_queries=17,
    ),
    RouteCase(
        "accounts-api:user-detail",
        allowed="director",
        denied="receptionist",
        api=True,
        kwargs=_staff_in,
        max_queries=12,
    ),
    RouteCase(
        "accounts-api:user-detail",
        allowed="admin",
        denied="director",
        method="PATCH",
        api=True,
        kwargs=_staff_in,
        data=lambda w, c: {"full_name": "改名"},
        scoped=False,
        why_unscoped=ADMIN_WIDE,
        max_queries=19,
    ),
]


# --- Login security (helper "security"; tests in guanjia/core/tests/test_security.py) ------


def _credentials(world, community):
    from guanjia.accounts.tests.factories import PASSWORD

    return {"username": world.user("receptionist").username, "password": PASSWORD}


ROUTES += [
    RouteCase(
        "accounts:lockout-list",
        allowed="admin",
        denied="receptionist",
        scoped=False,
        why_unscoped="lockouts of the whole company's accounts, for the company-wide admin",
        max_queries=12,
    ),
    RouteCase(
        "accounts:staff-unlock",
        allowed="admin",
        denied="receptionist",
        method="POST",
        kwargs=_staff_in,
        scoped=False,
        why_unscoped=ADMIN_WIDE,
        max_queries=17,
    ),
    RouteCase(
        "accounts-api:token",
        allowed=None,
        public=True,
        method="POST",
        api=True,
        data=_credentials,
        max_queries=10,
    ),
]


# --- API tokens and "log out everywhere" (ADR 0006; tests in test_api_tokens.py) -------------


def _own_token(world, community):
    """A token of the user the matrix logs in as `receptionist`."""
    from guanjia.accounts.services import create_api_token

    token, _key = create_api_token(user=world.user("receptionist"))
    return {"pk": token.pk}


def _staff_token_in(world, community):
    """A token of a receptionist working in `community`, on that account's page."""
    from guanjia.accounts.services import create_api_token
    from guanjia.accounts.tests.factories import staff

    user = staff("receptionist", community, company=world.company)
    token, _key = create_api_token(user=user)
    return {"pk": user.pk, "token_pk": token.pk}


ROUTES += [
    RouteCase(
        "account-security",
        allowed="receptionist",
        scoped=False,
        why_unscoped="the caller's own tokens and sessions",
        max_queries=12,
    ),
    RouteCase(
        "account-token-revoke",
        allowed="receptionist",
        method="POST",
        kwargs=_own_token,
        scoped=False,
        why_unscoped="the caller's own token; another user's token is a 404 (test_api_tokens.py)",
        max_queries=15,
    ),
    RouteCase(
        "logout-everywhere",
        allowed="receptionist",
        method="POST",
        scoped=False,
        why_unscoped="the caller's own sessions and tokens",
        max_queries=22,
    ),
    RouteCase(
        "accounts:staff-token-revoke",
        allowed="admin",
        denied="director",
        method="POST",
        kwargs=_staff_token_in,
        scoped=False,
        why_unscoped=ADMIN_WIDE,
        max_queries=16,
    ),
]


# --- Grants of sensitive roles (issue 10; tests in test_role_grants.py) ----------------------

GRANTS_WIDE = "grants are decided by the company-wide admin role, who sees every community of "
GRANTS_WIDE += "the company; test_role_grants.py proves 404 for another company's request"


def _grant_request_in(world, community):
    """A director grant in `community`, asked by another administrator of the company."""
    from django.utils import timezone

    from guanjia.accounts.services import RoleGrant, add_membership
    from guanjia.accounts.tests.factories import staff

    requester = staff("admin", company=world.company)
    clerk = staff("receptionist", community, company=world.company)
    grant = RoleGrant("director", community, starts_on=timezone.localdate())
    return {"pk": add_membership(user=clerk, grant=grant, by=requester).pk}


ROUTES += [
    RouteCase(
        "accounts:grant-request-list",
        allowed="admin",
        denied="director",
        scoped=False,
        why_unscoped=GRANTS_WIDE,
        max_queries=12,
    ),
    RouteCase(
        "accounts:grant-request-approve",
        allowed="admin",
        denied="director",
        method="POST",
        kwargs=_grant_request_in,
        scoped=False,
        why_unscoped=GRANTS_WIDE,
        max_queries=29,
    ),
    RouteCase(
        "accounts:grant-request-reject",
        allowed="admin",
        denied="director",
        method="POST",
        kwargs=_grant_request_in,
        data=lambda w, c: {"reason": "不合适"},
        scoped=False,
        why_unscoped=GRANTS_WIDE,
        max_queries=22,
    ),
    RouteCase(
        "accounts-api:user-role-add",
        allowed="admin",
        denied="director",
        method="POST",
        api=True,
        kwargs=_staff_in,
        data=_role_in,
        ok=(201,),
        scoped=False,
        why_unscoped=ADMIN_WIDE,
        max_queries=19,
    ),
    RouteCase(
        "accounts-api:role-grant-list",
        allowed="admin",
        denied="director",
        api=True,
        scoped=False,
        why_unscoped=GRANTS_WIDE,
        max_queries=11,
    ),
    RouteCase(
        "accounts-api:role-grant-approve",
        allowed="admin",
        denied="director",
        method="POST",
        api=True,
        kwargs=_grant_request_in,
        scoped=False,
        why_unscoped=GRANTS_WIDE,
        max_queries=29,
    ),
    RouteCase(
        "accounts-api:role-grant-reject",
        allowed="admin",
        denied="director",
        method="POST",
        api=True,
        kwargs=_grant_request_in,
        data=lambda w, c: {"reason": "不合适"},
        scoped=False,
        why_unscoped=GRANTS_WIDE,
        max_queries=22,
    ),
]
