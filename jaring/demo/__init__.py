"""The demo data set and its generator (project level: it drives every app through its services, as the
people who use Jaring would). `jaring demo-data` runs `load.demo_load`."""
