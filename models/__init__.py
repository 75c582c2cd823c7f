"""SQLAlchemy models. Importing this package registers every table on ``Base.metadata``."""

from models import access, casework, core, documents, importing, sealing  # noqa: F401
from models import statistics  # noqa: F401  (issue 19)
from models.base import Base

__all__ = ["Base"]
