"""Stage 4, QGIS hand-off: export() writes GeoPackage/Shapefile layers with QGIS styles.

Modules
-------
export     export(), the public entry point: checks, style resolution, then one of the writers
gpkg       the GeoPackage 1.2 writer; the style stored in ``layer_styles`` as the default
shapefile  the Shapefile writer (+ .cpg, ``<name>.fields.csv``, ``<name>.qml``), DBF value limits
fields     Shapefile/DBF field names: ASCII, at most 10 bytes, unique, readable
frame      the checks on the frame before anything is written, and the target path
writing    what the writers share: the GDAL write and its checks, a layer's style, ExportResult
classes    the classes (legend entries) of a QGIS style, shared by QML and SLD
qml        QML style documents (embedded in the GeoPackage, beside the Shapefile)
sld        SLD 1.1 style documents (stored beside the QML in ``layer_styles``)
network    export_network(): a city network as two styled layers

Named ``qgis`` rather than ``export`` so that the submodule can never shadow ``si.export``.
Colours, classes and labels come from :mod:`spatialinno.styles` (the same as the web maps'), the
LISA / Gi* columns and the no-data rule from :mod:`spatialinno.measures.results`.
"""

__all__: list[str] = []
