"""Published public keys for certificate signatures: stable addresses, linked from the docs."""

from django.urls import path

from .views import keys

urlpatterns = [
    path("klucze/certyfikaty.pem", keys.public_key_pem, name="signing_key_pem"),
    path("klucze/certyfikaty.json", keys.public_key_json, name="signing_key_json"),
]
