def main(argv=None):
    raise SystemExit("cli not written yet")
