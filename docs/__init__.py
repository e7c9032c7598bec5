"""The guides a scenario author needs, shipped with the package (`goalstudio scenarios guide`)."""
