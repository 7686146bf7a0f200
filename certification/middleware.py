class PolishByDefaultMiddleware:
    """Polish unless the user picked English with the language switch (a cookie).

    Django would otherwise follow the browser's Accept-Language, and a Polish public service
    must not turn English because a computer was set up in English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# Browser features the service never uses, switched off for its pages and anything they embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PrivacyHeadersMiddleware:
    """Permissions-Policy on every response; and no copy kept anywhere of a response that
    depends on someone's session (a logged-in user's page, a form holding their data).

    A shared cache or the browser's back/forward history on a shared computer would otherwise
    hand the page to the next person. Decided from what the response did read: a page that
    never looked at the session is the same for everyone and keeps its own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            response["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response
