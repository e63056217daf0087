"""The photo rate kept in the node's database: the same bucket, the same refusals, on both
backends, whichever object takes from it."""

from __future__ import annotations

import time

import pytest

from passerelle.access.rates import NodePhotoRate, PhotoRateExceeded, RateLimit
from passerelle.store import Database


def test_a_users_burst_is_taken_then_refused_with_when_to_try_again(database: Database) -> None:
    rate = NodePhotoRate(database, RateLimit(per_minute=6, burst=2))
    rate.take("officer.one")
    rate.take("officer.one")
    with pytest.raises(PhotoRateExceeded) as refused:
        rate.take("officer.one")
    assert refused.value.retry_after_s == 10
    assert refused.value.reason == (
        "too many photos: at most 6 a minute (2 at once); try again in 10 s"
    )
    rate.take("officer.two")  # the bucket is the user's


def test_the_bucket_is_the_databases_not_the_objects(database: Database) -> None:
    limit = RateLimit(per_minute=6, burst=3)
    first, second = NodePhotoRate(database, limit), NodePhotoRate(database, limit)
    first.take("officer.one")
    second.take("officer.one")
    first.take("officer.one")
    for rate in (first, second):
        with pytest.raises(PhotoRateExceeded):
            rate.take("officer.one")


def test_the_bucket_refills_at_the_rate(database: Database) -> None:
    rate = NodePhotoRate(database, RateLimit(per_minute=600, burst=1))  # a token each 0.1 s
    rate.take("officer.one")
    with pytest.raises(PhotoRateExceeded) as refused:
        rate.take("officer.one")
    assert refused.value.retry_after_s == 1  # a fraction of a second, rounded up
    time.sleep(0.25)
    rate.take("officer.one")
