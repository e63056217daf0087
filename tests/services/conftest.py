"""The shared use cases run on the API's node (tests.api) with the CLI pointed at it too."""

from tests.api.conftest import api  # noqa: F401  (fixtures)
from tests.screening.conftest import inspector, node  # noqa: F401
