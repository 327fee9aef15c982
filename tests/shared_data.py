"""Find the real data sets in ../shared/data (or $LOFTE_SHARED_DATA); skip with a reason when absent."""

import pytest

from lofte.core.paths import shared_data


def shared_file(*parts):
    folder = shared_data()
    if folder is None:
        pytest.skip("shared data folder not found: set LOFTE_SHARED_DATA or place it at ../shared/data")
    path = folder.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not in the shared data folder")
    return path
