"""The workbench (工作台): each app declares the tasks and the day's figures of its roles;
the home page gathers them for the user in one bounded set of queries (docs/workbench.md)."""

from .registry import Figure, FigureGroup, TaskKind, TaskQuery, register_figures, register_task

__all__ = [
    "Figure",
    "FigureGroup",
    "TaskKind",
    "TaskQuery",
    "register_figures",
    "register_task",
]
