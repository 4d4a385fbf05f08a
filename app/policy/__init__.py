"""OPA decisions. Raw OPA JSON stops here; callers get a Decision or a RegistryError."""
