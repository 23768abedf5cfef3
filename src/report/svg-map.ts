/**
 * The exposure map's public surface (src/report/map/ holds the modules): renderExposureMap, the escaper and the
 * service-type colours the HTML renderers share.
 */
export { CUSTOM_TYPE_COLOR, esc, SERVICE_TYPE_COLORS, serviceTypeColor } from './map/style.ts';
export { MAP_DETAIL_MAX_NODES, MAP_DETAIL_MAX_ROUTES, mapMode, renderExposureMap, renderMapGraph, type MapGraph, type MapMode } from './map/index.ts';
