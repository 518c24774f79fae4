# The types Plinth's Python language server (Pyright) knows a node's code by. Placed in the
# language server's workspace as __builtins__.pyi, so node code needs no import for them.
from typing import Any, Mapping

class PlinthContext:
    """What a node's `process(data, ctx)` receives as `ctx`: the run it belongs to and its tools."""

    @property
    def state(self) -> dict[str, Any]:
        """One dict shared by every node of this run (the run's scratch space), empty when the run starts."""

    @property
    def secrets(self) -> Mapping[str, str]:
        """The secrets this graph declares, by name (read-only). Empty in the browser preview: secrets reach nodes only on the server."""

    @property
    def run_id(self) -> str:
        """This run's id, as in run history and the `Plinth-Run-Id` header."""

    @property
    def graph(self) -> str:
        """The graph's name."""

    @property
    def version(self) -> int | None:
        """The published version running this node; None for a draft (a test run or a preview)."""

    def log(self, *args: object) -> None:
        """Like print, but the entry is marked as coming from ctx.log in the run's trace."""
