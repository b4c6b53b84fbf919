"""E-mail preferences: /cuenta/avisos/ (the user's own, nothing scoped)."""

from django.urls import path

from . import views

app_name = "avisos"

urlpatterns = [
    path("", views.preferencias, name="preferencias"),
]
