/**
 * Version of the engine's pre-processing and output contract (detector settings, alignment template,
 * face pixel range). A model card records it, so weights trained on one contract are not silently
 * used with another. Raise it whenever a change alters the faces the classifier sees.
 */
export const ENGINE_VERSION = '1.0.0';
