"""Stage 4, QGIS hand-off: export() writes GeoPackage/Shapefile layers with QGIS styles.

Modules
-------
export     export(), ExportResult: GeoPackage 1.2 / Shapefile (+ .cpg, field-name map)
qml        QML (embedded in the GeoPackage, beside the Shapefile) and SLD style documents

Named ``qgis`` rather than ``export`` so that the submodule can never shadow ``si.export``.
"""

__all__: list[str] = []
