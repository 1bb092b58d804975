"""One crawl run: its assembly from the settings (`runner`), the state its pipelines share (`state`),
its lifecycle signals and extensions (`signals`, `heap`), typed drop reasons and the stored run report.

Import the submodules directly: this package imports nothing, so the light ones (`signals`) stay light.
"""
