"""The pages run on the same loaded node and users as the API tests."""

from tests.api.conftest import api  # noqa: F401  (fixture)
from tests.screening.conftest import node  # noqa: F401  (fixture)
