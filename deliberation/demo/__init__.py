"""The demo cases (鸿翔花园, 怡乐花园, 南湾街道's 22 compounds), replayed from data/demo/ through the services."""
from .loader import load_demo

__all__ = ["load_demo"]
