"""When the ``GOOGLE_API`` rules run: on by default for files that use Google API annotations.

Maintainers: the ``GOOGLE_API`` rules are not buf's, so they are off in the registry
(``default=False``) and buf.yaml's ``use``/``except`` neither select nor drop them. With no
explicit ``select``, the checker adds them after compiling, when ``protobuf.google-api`` is
``true``, or ``"auto"`` (the default) and a changed file on either side imports ``google/api/…``
or ``google/longrunning/…`` (directly or through ``import public``); ``ignore`` still subtracts
them. An explicit ``select`` is taken as written (``--select FILE,GOOGLE_API``).
"""

from __future__ import annotations

from ...checkers import FormatJob
from ...registry import REGISTRY
from .image import Image

__all__ = ["CATEGORY", "IMPORT_PREFIXES", "uses_google_api", "with_google_api"]

CATEGORY = "GOOGLE_API"
#: Imports that mark a file as a Google-style API definition.
IMPORT_PREFIXES = ("google/api/", "google/longrunning/")


def uses_google_api(*images: Image) -> bool:
    """Whether the changed files of any image see a Google API annotation file.

    An image holds the changed files and what they import (directly, through ``import public``,
    or to define the options they use), so a file reaching ``google/api/`` through a shared
    ``import public`` file counts too.
    """
    return any(name.startswith(IMPORT_PREFIXES) for image in images for name in image.files)


def with_google_api(job: FormatJob, selected: frozenset[str], old: Image, new: Image) -> frozenset[str]:
    """``selected`` plus the ``GOOGLE_API`` rules when the settings and the files call for them."""
    from ...config import Settings

    settings = job.settings or Settings()
    mode = settings.protobuf.google_api
    if job.explicit_select or mode is False or (mode == "auto" and not uses_google_api(old, new)):
        return selected
    source = settings.source or "the command line"
    wanted = REGISTRY.expand([CATEGORY], "protobuf", source=source)
    wanted -= REGISTRY.expand(settings.ignore, "protobuf", source=source)
    return selected | frozenset(wanted)
