"""The REST resources' logic: run the named queries, fold their rows, filter, order.

One module per resource. A service takes already-parsed filter values and the `Queries` of the
request, and returns typed models from `ccmkg.api.rest.models`; a list comes back as a
`Listing`, which carries the store answers it was read from so that its truncation is never
lost. Routes only parse parameters, call a service and render its answer.
"""
