"""Header drift: the ctypes declarations must match include/ccgw.h.

Parses the header (comments stripped) and checks every function the binding declares
(argument count and types, return type), every struct it lays out (field names, order and
C types), the callback typedefs, and the constants (the generated ``_constants.py`` must be
current). On 64-bit Linux ctypes aliases some C types (``c_size_t`` is ``c_uint64``, both
``c_ulong``), so those are compared as the set of C types the ctypes type stands for.
"""

from __future__ import annotations

import ctypes
import importlib.util
import re
from pathlib import Path
from typing import Any

import ccgw
import pytest
from ccgw import _ffi as F
from conftest import HEADER

HERE = Path(__file__).resolve().parent


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


TEXT = _strip_comments(HEADER.read_text(encoding="utf-8"))
ALIASES = {"ccgw_status": "int32_t", "ccgw_outcome": "int32_t"}


def normalize(c_type: str) -> str:
    """A C type as ``[const char|base]`` followed by one ``*`` per pointer level; other
    qualifiers and ``struct`` dropped, typedef aliases resolved."""
    tokens = c_type.replace("*", " * ").split()
    tokens = [t for t in tokens if t != "struct"]
    depth = tokens.count("*")
    base_tokens = [t for t in tokens if t != "*"]
    first_star = tokens.index("*") if "*" in tokens else len(tokens)
    base_const = "const" in tokens[:first_star]
    base = " ".join(t for t in base_tokens if t != "const")
    base = ALIASES.get(base, base)
    if base == "char" and base_const and depth:
        base = "const char"
    return base + "*" * depth


def split_decl(decl: str) -> tuple[str, str]:
    """``"const char *name"`` -> (type, name)."""
    m = re.match(r"^(.*?)(\w+)\s*$", decl.strip(), re.S)
    assert m, decl
    return m.group(1).strip(), m.group(2)


def header_functions() -> dict[str, tuple[str, list[str]]]:
    out: dict[str, tuple[str, list[str]]] = {}
    for m in re.finditer(r"CCGW_API\s+([^;(]*?)\b(ccgw_\w+)\s*\(([^)]*)\)\s*;", TEXT, re.S):
        ret, name, params = m.group(1), m.group(2), m.group(3).strip()
        args = [] if params in ("", "void") else [normalize(split_decl(p)[0]) for p in params.split(",")]
        out[name] = (normalize(ret), args)
    return out


def header_structs() -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for m in re.finditer(r"typedef\s+struct\s+(\w+)\s*\{(.*?)\}\s*(\w+)\s*;", TEXT, re.S):
        fields = [split_decl(f) for f in m.group(2).split(";") if f.strip()]
        out[m.group(1)] = [(name, normalize(t)) for t, name in fields]
    return out


def header_opaque() -> set[str]:
    return set(re.findall(r"typedef\s+struct\s+(\w+)\s+\w+\s*;", TEXT))


def header_callbacks() -> dict[str, tuple[str, list[str]]]:
    out: dict[str, tuple[str, list[str]]] = {}
    for m in re.finditer(r"typedef\s+([^;()]*?)\(\s*\*\s*(\w+)\s*\)\s*\(([^)]*)\)\s*;", TEXT, re.S):
        params = m.group(3).strip()
        args = [] if params in ("", "void") else [normalize(split_decl(p)[0]) for p in params.split(",")]
        out[m.group(2)] = (normalize(m.group(1)), args)
    return out


_SCALARS: dict[Any, set[str]] = {}


def _scalar(t: Any, *names: str) -> None:
    _SCALARS.setdefault(t, set()).update(names)


_scalar(ctypes.c_int32, "int32_t")
_scalar(ctypes.c_uint32, "uint32_t")
_scalar(ctypes.c_int64, "int64_t")
_scalar(ctypes.c_uint64, "uint64_t")
_scalar(ctypes.c_size_t, "size_t")
_scalar(ctypes.c_bool, "bool")
_scalar(ctypes.c_uint8, "uint8_t")
_scalar(ctypes.c_char_p, "const char*")
_scalar(ctypes.c_void_p, "void*")
_CALLBACK_NAMES = {id(v): k for k, v in F.CALLBACK_TYPES.items()}


def render(t: Any) -> set[str]:
    """The C types a ctypes type stands for, normalized as :func:`normalize` does."""
    if t is None:
        return {"void"}
    if id(t) in _CALLBACK_NAMES:
        return {_CALLBACK_NAMES[id(t)]}
    if t in _SCALARS:
        return _SCALARS[t]
    if isinstance(t, type) and issubclass(t, ctypes.Structure):
        return {t.__name__}
    if isinstance(t, type) and issubclass(t, ctypes._Pointer):
        return {r + "*" for r in render(t._type_)}
    raise AssertionError(f"no C rendering for {t!r}")


def python_side(c_type: str) -> str:
    """What the binding must declare for a header type: library-allocated ``char *`` and
    ``char **`` must be kept as raw pointers (``void *``) so they can be freed."""
    if c_type.startswith("char*"):
        return "void" + c_type[len("char"):]
    return c_type


HF = header_functions()
HS = header_structs()
HC = header_callbacks()


def test_header_parses() -> None:
    assert len(HF) >= 40 and "ccgw_session_request" in HF
    assert "ccgw_event" in HS and "ccgw_session_options" in HS
    assert set(HC) == {"ccgw_log_callback", "ccgw_userdata_free", "ccgw_event_callback"}
    assert normalize("const char *const *") == "const char**"
    assert normalize("char **") == "char**"
    assert normalize("const struct ccgw_session *") == "ccgw_session*"


@pytest.mark.parametrize("name", sorted(F.FUNCTIONS))
def test_function_matches_header(name: str) -> None:
    assert name in HF, f"{name} is declared by the binding but not in ccgw.h"
    ret, args = HF[name]
    restype, argtypes = F.FUNCTIONS[name]
    assert len(argtypes) == len(args), f"{name}: {len(argtypes)} arguments declared, header has {len(args)}"
    assert python_side(ret) in render(restype), f"{name} returns {ret}, declared {restype}"
    for i, (c_arg, py_arg) in enumerate(zip(args, argtypes)):
        assert python_side(c_arg) in render(py_arg), f"{name} argument {i}: header {c_arg}, declared {py_arg}"
    # The loaded library has the declarations in place.
    fn = getattr(F.lib, name)
    assert fn.argtypes == argtypes and fn.restype == restype


def test_every_header_function_is_declared() -> None:
    assert sorted(set(HF) - set(F.FUNCTIONS)) == []


@pytest.mark.parametrize("name", sorted(F.STRUCTS))
def test_struct_matches_header(name: str) -> None:
    assert name in HS, f"struct {name} is not in ccgw.h"
    declared = [(f[0], f[1]) for f in F.STRUCTS[name]._fields_]
    header = HS[name]
    assert [n for n, _ in declared] == [n for n, _ in header], f"{name}: field names or order differ"
    for (fname, py_t), (_, c_t) in zip(declared, header):
        assert python_side(c_t) in render(py_t), f"{name}.{fname}: header {c_t}, declared {py_t}"


def test_every_header_struct_is_declared() -> None:
    assert sorted(set(HS) - set(F.STRUCTS)) == []
    assert header_opaque() >= set(F.OPAQUE)


@pytest.mark.parametrize("name", sorted(F.CALLBACK_TYPES))
def test_callback_type_matches_header(name: str) -> None:
    ret, args = HC[name]
    cb = F.CALLBACK_TYPES[name]
    assert ret in render(cb._restype_) or (ret == "void" and cb._restype_ is None)
    assert len(cb._argtypes_) == len(args)
    for c_arg, py_arg in zip(args, cb._argtypes_):
        # Arguments handed to a callback are borrowed: const char * may be c_char_p.
        assert python_side(c_arg) in render(py_arg), f"{name}: header {c_arg}, declared {py_arg}"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_constants", HERE.parent / "tools" / "gen_constants.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_constants_match_header() -> None:
    gen = _generator()
    consts = gen.header_constants(HEADER.read_text(encoding="utf-8"))
    assert len(consts) > 100
    for name, value in consts.items():
        assert getattr(ccgw.constants, name) == value, name
    generated = (HERE.parent / "src" / "ccgw" / "_constants.py").read_text(encoding="utf-8")
    assert generated == gen.render(consts), "run tools/gen_constants.py: _constants.py is out of date"
    # The public aliases are the header's values too.
    assert ccgw.ADDRESS_PHONE == consts["CCGW_ADDRESS_PHONE"] == 6
    assert ccgw.EVENT_PUMP_STOPPED == consts["CCGW_EVENT_PUMP_STOPPED"]


def test_loaded_library_matches_the_header_version() -> None:
    assert F.lib.ccgw_abi_version() == ccgw.constants.CCGW_ABI_VERSION
    version = re.search(r'#define CCGW_VERSION_STRING "([^"]+)"', HEADER.read_text()).group(1)  # type: ignore[union-attr]
    assert ccgw.library_version() == version
