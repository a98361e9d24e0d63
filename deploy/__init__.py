"""Deployment files (nginx site, systemd units) and their renderer, render.py; imported by the tests
and benchmarks that run the shipped files."""
