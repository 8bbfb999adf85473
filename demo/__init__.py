"""The demo and the 2011 replay: data files (``demo/data/*.yaml``) and the modules that
play them through the apps' services. Every app is below it; no app imports it."""
