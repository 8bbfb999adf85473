"""Sign-in is locked after repeated failures (django-axes)."""

from django.urls import reverse


def test_account_is_locked_after_repeated_failed_sign_ins(client, settings, office_user, password):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(
            reverse("login"), {"username": office_user.username, "password": "wrong"}
        )
        assert response.status_code == 200
    locked = client.post(reverse("login"), {"username": office_user.username, "password": "wrong"})
    assert locked.status_code == 429
    assert "locked-out" in locked.content.decode()
    # Even the right password is refused while locked.
    right = client.post(reverse("login"), {"username": office_user.username, "password": password})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_do_not_lock(client, settings, office_user, password):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": office_user.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": office_user.username, "password": password}
    )
    assert response.status_code == 302
