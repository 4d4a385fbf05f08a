"""The typed write commands (frozen dataclasses), one module per registry area."""
