"""Small usability promises: configuration laid out like pyproject, and tips that say what to do."""

from __future__ import annotations

from pathlib import Path

from gitrepo import GitRepo
from schemacheck.cli import main


def test_config_file_with_tool_schemacheck_table_is_accepted(tmp_path: Path, capsys, monkeypatch) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("p/a.proto", 'syntax = "proto3";\nmessage A { string a = 1; }\n')
    repo.commit("v1")
    repo.write("p/a.proto", 'syntax = "proto3";\nmessage A { string b = 1; }\n')
    (tmp_path / "extra.toml").write_text('[tool.schemacheck]\nignore = ["FIELD_SAME_NAME", "FIELD_SAME_JSON_NAME"]\n')
    monkeypatch.chdir(repo.root)
    assert main(["--config", str(tmp_path / "extra.toml")]) == 0
    (tmp_path / "extra.toml").write_text('[tool.schemacheck]\nignroe = ["FIELD_SAME_NAME"]\n')
    assert main(["--config", str(tmp_path / "extra.toml")]) == 2
    assert "unknown key tool.schemacheck.ignroe" in capsys.readouterr().err


def test_unresolved_import_says_how_to_fix_it(tmp_path: Path, capsys, monkeypatch) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("p/a.proto", 'syntax = "proto3";\nmessage A { string a = 1; }\n')
    repo.commit("v1")
    repo.write("p/a.proto", 'syntax = "proto3";\nimport "acme/common/money.proto";\nmessage A { string a = 1; }\n')
    monkeypatch.chdir(repo.root)
    assert main([]) == 0  # checked without it (issue 13): one warning, not a failed run
    out = capsys.readouterr()
    text = out.out + out.err
    assert "p/a.proto:2:1" in text and '"acme/common/money.proto"' in text
    assert "extra-import-roots" in text and "nothing is fetched" in text


def test_missing_local_branch_suggests_the_remote_one(tmp_path: Path, capsys, monkeypatch) -> None:
    upstream = GitRepo(tmp_path / "upstream")
    upstream.write("a.proto", 'syntax = "proto3";\nmessage A {}\n')
    upstream.commit("v1")
    clone = tmp_path / "clone"
    upstream.run("clone", "-q", str(upstream.root), str(clone))
    work = GitRepo(clone)
    work.run("checkout", "-q", "-b", "feature")
    work.run("branch", "-q", "-D", "main")
    monkeypatch.chdir(clone)
    assert main(["--base", "main"]) == 2
    err = capsys.readouterr().err
    assert "base revision 'main' not found" in err and "use --base origin/main" in err
