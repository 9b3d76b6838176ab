"""Build configuration that pyproject.toml cannot express: the scenario presets.

The presets live in the top-level ``seeds/`` folder (the project's layout). The wheel carries
them as the data package ``omnibalance.presets``, mapped from ``seeds/`` at build time, so
``omnibalance.scenario`` finds them with :mod:`importlib.resources` wherever the package is
installed, and no file is kept twice.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["omnibalance", "omnibalance.*"]), "omnibalance.presets"],
    package_dir={"omnibalance.presets": "seeds"},
    package_data={"omnibalance": ["py.typed", "calibration.toml", "screening.toml"],
                  "omnibalance.presets": ["*.toml", "README.md"]},
)
