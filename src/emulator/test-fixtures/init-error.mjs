// A module that fails while loading: the runtime reports Runtime.ImportModuleError (or the thrown error) to
// /runtime/init/error, then exits.
throw new Error('init exploded');
