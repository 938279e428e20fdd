"""Typed settings of a deployment, read from ``INTAKE_*`` environment variables.

Settings are built explicitly (``Settings()``) by the composition root (the CLI or the app factory)
and passed down; nothing reads the environment at import time. Unsafe production defaults are refused
at start-up by `Settings.check_production`.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Placeholder secret used in development; refused when ``environment == "production"``.
DEV_SECRET = "dev-only-change-me"


class Settings(BaseSettings):
    """Everything a deployment can change without touching code."""

    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    environment: str = Field(default="development", pattern="^(development|test|production)$")
    #: Runtime data lives here: the SQLite file, trained models, the knowledge-base index.
    home: Path = Path("var")
    #: SQLAlchemy URL; empty means the embedded SQLite file under `home`.
    database_url: str = ""
    #: City config YAML; empty means the bundled demo city.
    city_config: Path | None = None
    #: Report settings YAML (surge-alert thresholds, hot issues, report definitions); empty means
    #: the bundled `reports/default_alerts.yaml`.
    report_settings: Path | None = None
    #: Where the real public data lives for training and benchmarks (never shipped with the product).
    shared_data: Path = Path("../shared/data")
    secret_key: str = DEV_SECRET
    #: Largest accepted request body, in bytes.
    max_body_bytes: int = 256 * 1024
    #: Requests per minute per client on public endpoints.
    public_rate_limit: int = 120
    #: Largest accepted upload (labelled training data), in bytes; only trainer routes accept it.
    max_upload_bytes: int = 20 * 1024 * 1024
    #: Sign-in attempts per minute per client and user name.
    login_rate_limit: int = 10
    #: How long a staff sign-in lasts, and how long a citizen's chat session token stays valid.
    staff_session_minutes: int = 8 * 60
    citizen_session_days: int = 30
    #: Passwords of the demo accounts that `intake serve` creates on an empty user table; unset ones
    #: are generated and printed once (refused in production, where all three must be strong).
    admin_password: SecretStr | None = None
    operator_password: SecretStr | None = None
    trainer_password: SecretStr | None = None
    #: Raises the similarity a knowledge-base entry needs before the assistant quotes it (the built-in
    #: floors, `assistant.knowledge`, always apply). On the real regulations, 0.64 trades some right
    #: answers for fewer wrong ones (`benchmarks/kb_answer_floor.py`).
    knowledge_min_similarity: float = Field(default=0.0, ge=0.0, le=1.0)
    #: Shared secret of the Rasa action server (`intake actions`); required to listen beyond loopback.
    actions_token: SecretStr | None = None

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'intake.db'}"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def kb_dir(self) -> Path:
        return self.home / "kb"

    def check_production(self) -> None:
        """Refuse to start a production deployment on development defaults."""
        if self.environment != "production":
            return
        problems = []
        if self.secret_key == DEV_SECRET or len(self.secret_key) < 32:
            problems.append("INTAKE_SECRET_KEY must be set to a random value of at least 32 characters")
        if self.db_url.startswith("sqlite"):
            problems.append("INTAKE_DATABASE_URL must point to PostgreSQL in production")
        if problems:
            raise RuntimeError("unsafe production settings: " + "; ".join(problems))
