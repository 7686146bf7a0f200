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
