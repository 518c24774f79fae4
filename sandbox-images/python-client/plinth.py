"""Deploy a model to Plinth from Python, and call it: stdlib only.

    import plinth
    plinth.connect("http://127.0.0.1:3000", token)   # or PLINTH_URL / PLINTH_TOKEN
    plinth.deploy(sk_model, name="churn", example_input=X[:2])
    plinth.predict("churn", X[:5])

`deploy` writes a model package (Truss's layout: config.yaml, model/model.py, data/) for the
in-memory model, with the library versions it sees as requirements, uploads it and waits until
the version is ready (or raises DeployError with the build log and load() traceback). It knows
scikit-learn estimators (saved with joblib), PyTorch modules (state_dict plus the class's source)
and any other object with a `predict` method (pickled, with its class's source when it was
defined in a notebook or script). The server serves this file at /client/plinth.py.
"""

import importlib.metadata
import inspect
import io
import json
import os
import pickle
import tarfile
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["connect", "deploy", "predict", "DeployError", "PlinthError"]
__version__ = "0.1.0"

_settings = {"url": None, "token": None}


class PlinthError(Exception):
    """An error the server answered with: its code, message and details."""

    def __init__(self, status, body):
        error = body.get("error", {}) if isinstance(body, dict) else {}
        self.status = status
        self.code = error.get("code", "http_error")
        self.problems = error.get("problems", [])
        self.details = error
        lines = [f"{self.code} ({status}): {error.get('message', body)}"]
        lines += [f"  {p.get('path')}: {p.get('message')}" for p in self.problems]
        super().__init__("\n".join(lines))


class DeployError(Exception):
    """A version that failed to build or load; the message carries its log and traceback."""

    def __init__(self, name, version, info):
        self.name, self.version, self.info = name, version, info
        error = info.get("error") or {}
        parts = [f"model {name!r} v{version} failed: {error.get('message', 'see its log')}"]
        if info.get("buildLog"):
            parts.append("build log:\n  " + "\n  ".join(info["buildLog"]))
        if info.get("loadLog"):
            parts.append("load() output:\n  " + "\n  ".join(e["text"] for e in info["loadLog"]))
        if error.get("traceback"):
            parts.append(error["traceback"])
        super().__init__("\n".join(parts))


def connect(url=None, token=None):
    """Where the server is and the token to use (the admin token to deploy; an API key can predict)."""
    _settings["url"] = (url or os.environ.get("PLINTH_URL") or "").rstrip("/") or None
    _settings["token"] = token or os.environ.get("PLINTH_TOKEN")


def _server():
    url = _settings["url"] or (os.environ.get("PLINTH_URL") or "").rstrip("/")
    token = _settings["token"] or os.environ.get("PLINTH_TOKEN")
    if not url or not token:
        raise PlinthError(0, {"error": {"code": "not_connected", "message":
            "call plinth.connect(url, token) or set PLINTH_URL and PLINTH_TOKEN"}})
    return url, token


def _request(method, path, body=None, content_type="application/json", timeout=60):
    url, token = _server()
    data = body if isinstance(body, bytes) or body is None else json.dumps(_plain(body)).encode()
    request = urllib.request.Request(url + path, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": content_type, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            answer = json.loads(text)
        except ValueError:
            answer = {"error": {"message": text.decode(errors="replace")}}
        raise PlinthError(error.code, answer) from None


def _plain(value):
    """numpy arrays and scalars (and pandas frames) as JSON-ready lists and numbers."""
    if hasattr(value, "to_numpy"):
        value = value.to_numpy()
    if type(value).__module__ == "numpy" and hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def predict(name, model_input, version=None):
    """Calls a model's predict on the server: rows in, predictions out, as the model returns them."""
    path = f"/api/v1/models/{urllib.parse.quote(name)}"
    path += f"/versions/{int(version)}/predict" if version is not None else "/predict"
    return _request("POST", path, model_input)


def deploy(model, name, requirements=None, example_input=None, predict_concurrency=1, memory=None,
           init_kwargs=None, promote=True, wait=True, timeout=600):
    """Packages an in-memory model, uploads it as a new version of `name` and waits until it is ready.

    `memory` is the worker's limit (Truss's units, e.g. "2Gi"); by default 6Gi for PyTorch, whose
    import alone maps a few GiB of address space, and 2Gi for anything else.
    """
    files, kind, seen = _package_files(model, init_kwargs or {})
    memory = memory or ("6Gi" if kind == "pytorch" else "2Gi")
    config = {
        "model_name": name,
        "description": f"{kind} deployed from Python with plinth.deploy",
        "requirements": list(requirements) if requirements is not None else seen,
        "resources": {"cpu": "1", "memory": memory, "use_gpu": False},
        "predict_concurrency": int(predict_concurrency),
        "model_metadata": {"framework": kind, "class": f"{type(model).__module__}.{type(model).__qualname__}"},
    }
    if example_input is not None:
        config["example_input"] = _plain(example_input)
    # JSON is YAML, and the stdlib writes it.
    files["config.yaml"] = json.dumps(config, indent=2).encode()
    created = _request("POST", f"/api/v1/models?name={urllib.parse.quote(name)}&promote={'true' if promote else 'false'}",
                       _tar_gz(files), content_type="application/gzip", timeout=timeout)
    if not wait:
        return created
    return _wait(created["name"], created["version"], timeout)


def _wait(name, version, timeout):
    deadline = time.monotonic() + timeout
    while True:
        info = _request("GET", f"/api/v1/models/{urllib.parse.quote(name)}/versions/{version}")
        if info["status"] == "ready":
            return {"name": name, "version": version, "status": "ready"}
        if info["status"] == "failed":
            raise DeployError(name, version, info)
        if time.monotonic() > deadline:
            raise TimeoutError(f"model {name!r} v{version} is still {info['status']} after {timeout} s")
        time.sleep(0.5)


def _tar_gz(files):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path, data in sorted(files.items()):
            info = tarfile.TarInfo(path)
            info.size, info.mode, info.mtime = len(data), 0o644, int(time.time())
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _versions(*distributions):
    """`name==version` for each installed distribution: what the server must have."""
    found = []
    for dist in distributions:
        try:
            found.append(f"{dist}=={importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            pass
    return found


def _package_files(model, init_kwargs):
    module = type(model).__module__.split(".")[0]
    if module == "sklearn" or _is_sklearn_pipeline(model):
        import joblib

        buffer = io.BytesIO()
        joblib.dump(model, buffer)
        return ({"model/model.py": _SKLEARN.encode(), "data/model.joblib": buffer.getvalue()}, "scikit-learn",
                _versions("scikit-learn", "numpy", "joblib"))
    if _is_torch_module(model):
        import torch

        buffer = io.BytesIO()
        torch.save(model.state_dict(), buffer)
        source = textwrap.dedent(inspect.getsource(type(model)))
        code = _TORCH.format(name=type(model).__name__, source=source, kwargs=repr(init_kwargs))
        return {"model/model.py": code.encode(), "data/state_dict.pt": buffer.getvalue()}, "pytorch", _versions("torch", "numpy")
    if callable(getattr(model, "predict", None)):
        cls = type(model)
        source = ""
        if cls.__module__ == "__main__":
            # Defined in a notebook or script: the worker gets the class's source to unpickle it.
            source = textwrap.dedent(inspect.getsource(cls))
        code = _PICKLE.format(source=source)
        return {"model/model.py": code.encode(), "data/model.pkl": pickle.dumps(model)}, "python", _versions("numpy")
    raise TypeError(f"plinth.deploy needs a scikit-learn estimator, a torch.nn.Module or an object with predict(); got {type(model)!r}")


def _is_sklearn_pipeline(model):
    return any(c.__module__.startswith("sklearn.") for c in type(model).__mro__)


def _is_torch_module(model):
    return any(c.__module__ == "torch.nn.modules.module" and c.__name__ == "Module" for c in type(model).__mro__)


_SKLEARN = '''"""A scikit-learn model deployed with plinth.deploy (saved with joblib in data/)."""
import joblib
import numpy as np


class Model:
    def __init__(self, **kwargs):
        self._data_dir = kwargs["data_dir"]
        self._model = None

    def load(self):
        self._model = joblib.load(self._data_dir / "model.joblib")

    def predict(self, model_input):
        return self._model.predict(np.asarray(model_input))
'''

_TORCH = '''"""A PyTorch module deployed with plinth.deploy: its class's source and its state_dict."""
import torch
import torch.nn.functional as F
from torch import nn


{source}

class Model:
    def __init__(self, **kwargs):
        self._data_dir = kwargs["data_dir"]
        self._net = None

    def load(self):
        net = {name}(**{kwargs})
        net.load_state_dict(torch.load(self._data_dir / "state_dict.pt", map_location="cpu"))
        net.eval()
        self._net = net

    def predict(self, model_input):
        with torch.no_grad():
            return self._net(torch.tensor(model_input, dtype=torch.float32)).numpy()
'''

_PICKLE = '''"""A Python object with predict(), deployed with plinth.deploy (pickled in data/)."""
import pickle


{source}

class _Unpickler(pickle.Unpickler):
    # Classes pickled from a notebook or script (__main__) are defined above.
    def find_class(self, module, name):
        if module == "__main__":
            return globals()[name]
        return super().find_class(module, name)


class Model:
    def __init__(self, **kwargs):
        self._data_dir = kwargs["data_dir"]
        self._model = None

    def load(self):
        with open(self._data_dir / "model.pkl", "rb") as file:
            self._model = _Unpickler(file).load()

    def predict(self, model_input):
        return self._model.predict(model_input)
'''
