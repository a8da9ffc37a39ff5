"""Settings as shown to people: `qa doctor` and eval reports mask credentials, and only them."""
from __future__ import annotations

import json

from qa import Settings, load_settings

SECRET_KEY, SECRET_TOKEN = "sk-test-4f1c9e", "page-token-77ad"


def test_public_dump_masks_the_credentials_and_nothing_else(tmp_path):
    settings = load_settings(data_dir=tmp_path, llm_api_key=SECRET_KEY, auth_token=SECRET_TOKEN,
                             max_answer_tokens=99)
    shown = settings.public_dump()
    assert shown["llm_api_key"] == "***" and shown["auth_token"] == "***"
    assert shown["max_answer_tokens"] == 99  # a token budget, not a secret
    assert shown["data_dir"] == str(tmp_path)  # plain JSON values, as a report stores them
    text = json.dumps(shown)
    assert SECRET_KEY not in text and SECRET_TOKEN not in text
    assert set(shown) == set(type(settings).model_fields)  # every setting is shown
    unset = load_settings(data_dir=tmp_path, llm_api_key="", auth_token="").public_dump()
    assert unset["llm_api_key"] == "" and unset["auth_token"] == ""  # an empty secret shows as empty


def test_doctor_prints_the_budget_and_masks_the_key(tmp_path, monkeypatch, capsys):
    from qa.cli import main

    monkeypatch.setenv("QA_LLM_API_KEY", SECRET_KEY)
    monkeypatch.setenv("QA_AUTH_TOKEN", SECRET_TOKEN)
    main(["--data-dir", str(tmp_path), "doctor"])
    out = capsys.readouterr().out
    assert "  llm_api_key = ***" in out and "  auth_token = ***" in out
    assert f"  max_answer_tokens = {Settings().max_answer_tokens}" in out  # a budget, not a secret
    assert SECRET_KEY not in out and SECRET_TOKEN not in out
