/** Version of @graphon-pai/masks recorded in provenance (kept equal to package.json by a test). */
export const MASKS_VERSION = '0.1.0';
