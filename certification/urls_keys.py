"""Stable public addresses for tools: the signatures' public keys, and security.txt."""

from django.urls import path

from .views import keys, security_txt

urlpatterns = [
    path("klucze/certyfikaty.pem", keys.public_key_pem, name="signing_key_pem"),
    path("klucze/certyfikaty.json", keys.public_key_json, name="signing_key_json"),
    path(".well-known/security.txt", security_txt.security_txt, name="security_txt"),
]
