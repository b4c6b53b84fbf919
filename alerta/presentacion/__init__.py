"""What people see of risk: counts, rankings, dashboards, phrases, the model
pages' figures and the workbooks. The engine (riesgo) returns data; it is read
here, never the other way round (the contracts in pyproject.toml)."""
