"""A papermill engine that reuses one kernel per process, with a clean namespace for every notebook.

Plain papermill starts a kernel for every notebook, and the kernel then
imports pandas, scikit-learn and matplotlib again: about 2.5 s before the
first cell does any work. :class:`ReusedKernelEngine` keeps one kernel per
process (per kernel name) and, before each notebook, resets it so nothing
from the previous notebook can leak into the next:

* the user namespace is cleared (IPython's ``reset``: every variable,
  ``In``/``Out`` history and ``_`` values go), and the execution count
  restarts at 1;
* the working directory, ``sys.path``, ``os.environ`` and the warning
  filters are put back as they were when the kernel first served;
* matplotlib figures are closed and its settings restored from its rc file;
  pandas options and numpy error settings are reset.

Imported modules stay cached, which is where the time goes; our modules keep
no session data at module level. A kernel that died, or whose reset failed,
is replaced by a fresh one.

Papermill still does everything else: it parameterises the notebook (the
injected-parameters cell), records its metadata and raises
:class:`papermill.exceptions.PapermillExecutionError` on a failing cell.
The engine is registered through papermill's ``papermill.engine`` entry
point as ``pbp-reuse``::

    papermill.execute_notebook(template, out, parameters=..., engine_name="pbp-reuse")

Kernels run with ``OMP_NUM_THREADS=1`` (and the OpenBLAS/MKL equivalents) so
several workers do not oversubscribe the cores.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ReusedKernelEngine",  # noqa: F822 - made on first access by __getattr__ (see there)
    "ENGINE_NAME",
    "kernel_stats",
    "shutdown_kernels",
    "THREAD_LIMITS",
]

ENGINE_NAME = "pbp-reuse"
"""Name under which the engine is registered with papermill (entry point ``papermill.engine``)."""

THREAD_LIMITS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
"""Environment given to kernels on top of the caller's so parallel workers do not oversubscribe."""

logger = logging.getLogger("pbp_facilitate.summaries.engine")


def run_sync(coro: Any) -> Any:
    """nbclient's ``run_sync`` (imported on use, so importing this module stays cheap)."""
    from nbclient.util import run_sync as _run_sync

    return _run_sync(coro)


# Runs in the kernel, in a private namespace, before every notebook. Only paths and fixed code go
# in here, never participant text or parameters.
_RESET_SRC = r"""
import gc, os, sys, warnings
ip = _ip
base = getattr(ip, "_pbp_baseline", None)
if base is None:
    base = {"path": list(sys.path), "filters": list(warnings.filters), "environ": dict(os.environ)}
    ip._pbp_baseline = base
ip.reset(new_session=True)
os.chdir(_cwd)
sys.path[:] = base["path"]
warnings.filters[:] = base["filters"]
os.environ.clear()
os.environ.update(base["environ"])
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
    mpl = sys.modules.get("matplotlib")
    if mpl is not None:
        mpl.rc_file_defaults()
    pd = sys.modules.get("pandas")
    if pd is not None:
        pd.reset_option("all")
    np = sys.modules.get("numpy")
    if np is not None:
        np.seterr(divide="warn", over="warn", under="ignore", invalid="warn")
gc.collect()
"""


@dataclass
class _Slot:
    """One live kernel: its manager, client and counters."""

    kernel_name: str
    km: Any
    kc: Any
    ipc_dir: Path | None = None
    runs: int = 0


_SLOTS: dict[str, _Slot] = {}
_STATS = {"starts": 0, "runs": 0, "restarts": 0}


def _kernel_env() -> dict[str, str]:
    # Passes the caller's environment through to the child process (as any subprocess gets it),
    # plus the thread limits; this is not reading a setting.
    return {**os.environ, **THREAD_LIMITS}


def _start(kernel_name: str, start_timeout: float) -> _Slot:
    import tempfile

    from jupyter_client.manager import AsyncKernelManager

    # IPC (Unix sockets) rather than TCP: nothing listens on the network, and it is a little faster.
    ipc_dir = Path(tempfile.mkdtemp(prefix="pbp-kernel-"))
    kw: dict[str, Any] = {"transport": "ipc", "ip": str(ipc_dir / "kernel")}
    km = (
        AsyncKernelManager(kernel_name=kernel_name, **kw)
        if kernel_name
        else AsyncKernelManager(**kw)
    )
    # History in memory: a reused kernel starts a new history session for every notebook.
    run_sync(km.start_kernel)(
        env=_kernel_env(), cwd=os.getcwd(), extra_arguments=["--HistoryManager.hist_file=:memory:"]
    )
    kc = km.client()
    kc.start_channels()
    try:
        run_sync(kc.wait_for_ready)(timeout=start_timeout)
    except Exception:
        _stop(_Slot(kernel_name=kernel_name, km=km, kc=kc, ipc_dir=ipc_dir), now=True)
        raise
    kc.allow_stdin = False
    _STATS["starts"] += 1
    return _Slot(kernel_name=kernel_name, km=km, kc=kc, ipc_dir=ipc_dir)


def _stop(slot: _Slot, *, now: bool = False) -> None:
    try:
        slot.kc.stop_channels()
    finally:
        try:
            if run_sync(slot.km.is_alive)():
                run_sync(slot.km.shutdown_kernel)(now=now)
        except Exception:  # the kernel may already be gone; make sure nothing is left behind
            try:
                run_sync(slot.km.shutdown_kernel)(now=True)
            except Exception:
                logger.debug("kernel already gone", exc_info=True)
        try:
            run_sync(slot.km.cleanup_resources)()
        except Exception:
            logger.debug("kernel cleanup failed", exc_info=True)
        if slot.ipc_dir is not None:
            import shutil

            shutil.rmtree(slot.ipc_dir, ignore_errors=True)


def _slot(kernel_name: str, start_timeout: float) -> _Slot:
    slot = _SLOTS.get(kernel_name)
    if slot is not None and not run_sync(slot.km.is_alive)():
        logger.warning("The reused kernel %r died; starting a new one.", kernel_name)
        _SLOTS.pop(kernel_name, None)
        _stop(slot, now=True)
        _STATS["restarts"] += 1
        slot = None
    if slot is None:
        if not _SLOTS:
            _register_shutdown()
        slot = _start(kernel_name, start_timeout)
        _SLOTS[kernel_name] = slot
    return slot


_SHUTDOWN_REGISTERED = False


def _register_shutdown() -> None:
    global _SHUTDOWN_REGISTERED
    if _SHUTDOWN_REGISTERED:
        return
    # multiprocessing's finalizers run at interpreter exit in the main process *and* in pool
    # workers (which leave through os._exit, skipping plain atexit handlers).
    from multiprocessing import util

    util.Finalize(None, shutdown_kernels, exitpriority=100)
    _SHUTDOWN_REGISTERED = True


def _reset(client: Any) -> None:
    code = (
        f"exec(compile({_RESET_SRC!r}, '<pbp-reset>', 'exec'), "
        f"{{'_ip': get_ipython(), '_cwd': {os.getcwd()!r}}})"
    )
    msg_id = client.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
    reply = client.wait_for_reply(msg_id)
    if reply is None or reply["content"].get("status") != "ok":
        detail = (reply or {}).get("content", {}).get("evalue", "no reply")
        raise RuntimeError(f"Resetting the reused kernel failed ({detail}).")


def shutdown_kernels() -> None:
    """Shut down every kernel this process keeps (called automatically at exit)."""
    while _SLOTS:
        _, slot = _SLOTS.popitem()
        try:
            _stop(slot)
        except Exception:  # at interpreter exit: best effort
            logger.debug("kernel shutdown failed", exc_info=True)


def kernel_stats() -> dict[str, int]:
    """Return counters of this process: kernels ``starts``, notebook ``runs``, ``restarts``,
    ``alive``.
    """
    return {**_STATS, "alive": len(_SLOTS)}


def _build_engine() -> type:
    """Define the engine class (papermill is imported here, not at module import; see below)."""
    from nbclient.exceptions import DeadKernelError
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import Engine
    from papermill.utils import merge_kwargs, remove_args

    class ReusedKernelEngine(Engine):
        """Papermill engine executing every notebook in this process's reused, reset kernel.

        Accepts the same options as papermill's default ``nbclient`` engine
        (``start_timeout``, ``execution_timeout``, ``log_output``...).
        """

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: float = 60,
            execution_timeout: float | None = None,
            **kwargs: Any,
        ) -> Any:
            """Execute the parameterised notebook of ``nb_man`` in the reused kernel.

            Parameters
            ----------
            nb_man : papermill.engines.NotebookExecutionManager
                Papermill's wrapper of the notebook being executed.
            kernel_name : str
                Kernel to run (one reused kernel per name).
            log_output, stdout_file, stderr_file, start_timeout, execution_timeout
                As for papermill's ``nbclient`` engine.
            **kwargs
                Passed to the notebook client.

            Returns
            -------
            nbformat.NotebookNode
                The executed notebook.
            """
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            slot = _slot(kernel_name, start_timeout)
            client = PapermillNotebookClient(nb_man, km=slot.km, **final_kwargs)
            client.kc = slot.kc
            try:
                try:
                    _reset(client)
                except Exception:
                    # A wedged kernel: replace it once and try again.
                    _SLOTS.pop(kernel_name, None)
                    _stop(slot, now=True)
                    _STATS["restarts"] += 1
                    slot = _slot(kernel_name, start_timeout)
                    client = PapermillNotebookClient(nb_man, km=slot.km, **final_kwargs)
                    client.kc = slot.kc
                    _reset(client)
                nb = client.execute()
            except DeadKernelError:
                _SLOTS.pop(kernel_name, None)
                _stop(slot, now=True)
                raise
            slot.runs += 1
            _STATS["runs"] += 1
            nb.metadata.setdefault("papermill", {})["pbp_kernel"] = {
                "engine": ENGINE_NAME,
                "reused": slot.runs > 1,
            }
            return nb

    return ReusedKernelEngine


_ENGINE: type | None = None


def __getattr__(name: str) -> Any:
    # Importing papermill loads its engine entry points, which import this module and read
    # ReusedKernelEngine. Building the class on first access (PEP 562) instead of importing
    # papermill
    # at the top keeps that from being a circular import, whichever module is imported first.
    global _ENGINE
    if name == "ReusedKernelEngine":
        if _ENGINE is None:
            _ENGINE = _build_engine()
        return _ENGINE
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
