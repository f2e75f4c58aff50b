from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse


def _broken_cursor(*args, **kwargs):
    raise OperationalError("could not connect to server")


@pytest.mark.django_db
def test_a_healthy_site_answers_200_with_each_check(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "jobs": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_database_that_does_not_answer_gives_503(client):
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", _broken_cursor):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "error"


@pytest.mark.django_db
def test_a_job_broker_that_does_not_answer_gives_503(client):
    with mock.patch("django_q.brokers.orm.ORM.ping", return_value=False):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "jobs": "error"}


@pytest.mark.django_db
def test_a_job_broker_that_raises_gives_503(client):
    with mock.patch("django_q.brokers.orm.ORM.ping", side_effect=ConnectionError("refused")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["jobs"] == "error"


@pytest.mark.django_db
def test_the_probe_is_cheap(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # SELECT 1, and one row of the job queue
        client.get(reverse("healthz"))


def test_the_probe_answers_get_only(client):
    assert client.post(reverse("healthz")).status_code == 405
