"""SQLAlchemy models. Importing this package registers every table on ``Base.metadata``."""

from models import (  # noqa: F401
    access,
    casework,
    core,
    documents,
    importing,
    scale_out,
    sealing,
    statistics,
)
from models.base import Base

__all__ = ["Base"]
