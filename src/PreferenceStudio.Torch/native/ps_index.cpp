// Shape and indexing: views, joins, gather / scatter, masked fill.
#include "ps_common.h"

PS_API ps_tensor ps_view(ps_tensor a, const int64_t* shape, int ndim) { PS_TENSOR(a->view(at::IntArrayRef(shape, ndim))) }
PS_API ps_tensor ps_reshape(ps_tensor a, const int64_t* shape, int ndim) { PS_TENSOR(a->reshape(at::IntArrayRef(shape, ndim))) }
PS_API ps_tensor ps_expand(ps_tensor a, const int64_t* shape, int ndim) { PS_TENSOR(a->expand(at::IntArrayRef(shape, ndim))) }
PS_API ps_tensor ps_permute(ps_tensor a, const int64_t* dims, int ndim) { PS_TENSOR(a->permute(at::IntArrayRef(dims, ndim))) }
PS_API ps_tensor ps_transpose(ps_tensor a, int64_t d0, int64_t d1) { PS_TENSOR(a->transpose(d0, d1)) }
PS_API ps_tensor ps_unsqueeze(ps_tensor a, int64_t dim) { PS_TENSOR(a->unsqueeze(dim)) }
PS_API ps_tensor ps_squeeze(ps_tensor a, int64_t dim) { PS_TENSOR(a->squeeze(dim)) }
PS_API ps_tensor ps_flatten(ps_tensor a, int64_t start, int64_t end) { PS_TENSOR(a->flatten(start, end)) }
PS_API ps_tensor ps_narrow(ps_tensor a, int64_t dim, int64_t start, int64_t length) { PS_TENSOR(a->narrow(dim, start, length)) }
PS_API ps_tensor ps_select(ps_tensor a, int64_t dim, int64_t index) { PS_TENSOR(a->select(dim, index)) }

PS_API ps_tensor ps_cat(ps_tensor* items, int n, int64_t dim) { PS_TENSOR(at::cat(ps::list(items, n), dim)) }
PS_API ps_tensor ps_stack(ps_tensor* items, int n, int64_t dim) { PS_TENSOR(at::stack(ps::list(items, n), dim)) }

PS_API ps_tensor ps_gather(ps_tensor a, int64_t dim, ps_tensor index) { PS_TENSOR(a->gather(dim, *index)) }
PS_API ps_tensor ps_scatter(ps_tensor a, int64_t dim, ps_tensor index, ps_tensor src) { PS_TENSOR(a->scatter(dim, *index, *src)) }
PS_API ps_tensor ps_index_select(ps_tensor a, int64_t dim, ps_tensor index) { PS_TENSOR(a->index_select(dim, *index)) }
PS_API ps_tensor ps_masked_fill(ps_tensor a, ps_tensor mask, double value) { PS_TENSOR(a->masked_fill(*mask, value)) }
