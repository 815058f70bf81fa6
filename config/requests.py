"""The request type of a view behind `login_required` (django-stubs' recommended pattern).

`HttpRequest.user` is typed "a user or AnonymousUser"; behind `login_required` it is a `User`. A view
annotated `request: AuthenticatedHttpRequest` says so once, instead of narrowing `request.user` in
every body. It is a type only: Django hands the view its usual request object.
"""

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User  # narrower than HttpRequest's: login_required guarantees it
