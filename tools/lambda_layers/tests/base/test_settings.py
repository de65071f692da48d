"""One settings object: every variable read in one place; the command line wins over it."""

from __future__ import annotations

from pathlib import Path

from lambda_layers.base.settings import Settings


def test_each_variable_is_read_and_defaults_fill_the_rest(tmp_path: Path) -> None:
    links = tmp_path / "wheels"
    environ = {
        "LAMBDA_LAYERS_KEEP_CONTAINERS": "1", "LAMBDA_LAYERS_BUCKET": "layers-bucket",
        "LAMBDA_LAYERS_DEBIAN_MIRROR": "http://mirror/debian", "PYENV_ROOT": "/opt/pyenv",
        "XDG_CACHE_HOME": "/var/cache/me", "PIP_INDEX_URL": "https://index/simple",
        "UV_INDEX_PRIVATE_URL": "https://private/simple", "PIP_FIND_LINKS": f"{links} relative/",
        "UV_EXTRA_INDEX_URL": "", "HOME": "/home/me",
    }  # fmt: skip
    settings = Settings.from_environment(environ)
    assert settings.keep_containers and settings.bucket == "layers-bucket"
    assert settings.debian_mirror == "http://mirror/debian"
    assert settings.pyenv_root == Path("/opt/pyenv")
    assert settings.cache_directory == Path("/var/cache/me/lambda-layers")
    assert settings.package_index == {
        "PIP_INDEX_URL": "https://index/simple", "PIP_FIND_LINKS": f"{links} relative/",
        "UV_INDEX_PRIVATE_URL": "https://private/simple",
    }  # fmt: skip
    assert settings.find_links == (links,)  # only absolute directories can be mounted
    empty = Settings.from_environment({})
    assert not empty.keep_containers and empty.bucket is None and empty.debian_mirror is None
    assert empty.pyenv_root == Path.home() / ".pyenv"


def test_the_command_line_wins_where_given() -> None:
    settings = Settings.from_environment({"LAMBDA_LAYERS_BUCKET": "from-environment"})
    assert settings.overridden(bucket=None).bucket == "from-environment"
    assert settings.overridden(bucket="from-option").bucket == "from-option"
