"""Who is signing in, as the sign-in lockout and the sign-in log count them: the address a visitor
connects from, and the username tried."""

import ipaddress

from django.conf import settings


def client_address(request):
    """REMOTE_ADDR, or behind TRUSTED_PROXIES reverse proxies (nginx, a load balancer), the address
    the outermost of them was reached from: that many entries from the end of X-Forwarded-For,
    since each proxy appends the address it saw. Entries before those are whatever the visitor
    sent, so they are never used; nor is an entry that is not an address (a request that reached
    the portal round the proxies), which the lockout's records could not hold."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        try:
            return str(ipaddress.ip_address(forwarded[-proxies]))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def username_tried(request, credentials):
    """The username a sign-in tried, as the lockout counts it (lockout_name)."""
    username = credentials.get("username") if credentials else request.POST.get("username")
    return lockout_name(username)


def lockout_name(username):
    """A username as the lockout counts tries at it: in lower case, so that "EVE" and "eve" are
    counted together whether or not an account has that name (counted apart, they told which names
    were accounts, as sign-in reads an account's name in any case); and cut to the 150 characters
    a username can have: Django's sign-in forms do not check the length, and the lockout's records
    hold 255 at most, so a longer one would fail to be stored (a server error) where it should be a
    wrong username."""
    return (username or "").casefold()[:150] or None
