"""Domain model: enums, the lifecycle table, permissions, pure rules. Stdlib only, no I/O."""
from .errors import DomainError, NotFound, PermissionDenied, StaleRecord
from .lifecycle import Stage, Transition, TRANSITIONS, legal_transitions, find_transition
from .roles import Role, Action, role_may

__all__ = [
    "DomainError", "NotFound", "PermissionDenied", "StaleRecord",
    "Stage", "Transition", "TRANSITIONS", "legal_transitions", "find_transition",
    "Role", "Action", "role_may",
]
