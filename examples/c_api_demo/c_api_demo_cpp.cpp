// A pybind11 extension that pools NumPy arrays through cypool's C API, the way a
// C++ library would wrap it: typed overloads, C++ exceptions for bad statuses, and
// outputs allocated here.  Arrays are (P, H, W) planes, channels-first.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "cypool/cypool_api.h"

namespace py = pybind11;

namespace {

// The typed C entry points, as one overload set for templates.
int max_forward(const float *x, float *y, int64_t *i, const cypool_geometry *g, int64_t outer)
{
    return cypool_max_pool_forward_f32(x, y, i, g, outer, 1, 1);
}
int max_forward(const uint8_t *x, uint8_t *y, int64_t *i, const cypool_geometry *g,
                int64_t outer)
{
    return cypool_max_pool_forward_u8(x, y, i, g, outer, 1, 1);
}
int max_backward(const float *go, const int64_t *i, float *gi, int64_t outer, int64_t o, int64_t n)
{
    return cypool_max_pool_backward_f32(go, i, gi, outer, 1, o, n, 1);
}
int max_backward(const uint8_t *go, const int64_t *i, uint8_t *gi, int64_t outer, int64_t o,
                 int64_t n)
{
    return cypool_max_pool_backward_u8(go, i, gi, outer, 1, o, n, 1);
}

void check(int status)
{
    if (status != CYPOOL_OK)
        throw std::invalid_argument(cypool_status_message(status));
}

cypool_geometry square_window(int64_t h, int64_t w, int64_t kernel, int64_t stride,
                              int64_t padding)
{
    cypool_geometry g;
    std::array<int64_t, 2> in{h, w}, k{kernel, kernel}, s{stride, stride}, p{padding, padding},
        d{1, 1};
    int bad_dim = -1;
    int status = cypool_geometry_init(&g, 2, in.data(), k.data(), s.data(), p.data(), p.data(),
                                      d.data(), 0, 0, &bad_dim);
    if (status != CYPOOL_OK)
        throw std::invalid_argument(std::string(cypool_status_message(status)) +
                                    " (spatial dim " + std::to_string(bad_dim) + ")");
    return g;
}

constexpr int Planes = py::array::c_style | py::array::forcecast;

// (max, indices, gradient of sum(max)) of (P, H, W) planes.
template <typename T>
py::tuple max_pool_planes(py::array_t<T, Planes> x, int64_t kernel, int64_t stride,
                          int64_t padding)
{
    if (x.ndim() != 3)
        throw std::invalid_argument("x must be (P, H, W)");
    int64_t planes = x.shape(0), h = x.shape(1), w = x.shape(2);
    cypool_geometry g = square_window(h, w, kernel, stride, padding);
    int64_t oh = g.out_size[1], ow = g.out_size[2];
    py::array_t<T> y({planes, oh, ow});
    py::array_t<int64_t> indices({planes, oh, ow});
    py::array_t<T> grad_in({planes, h, w});
    {
        py::gil_scoped_release release;
        check(max_forward(x.data(), y.mutable_data(), indices.mutable_data(), &g, planes));
        check(max_backward(y.data(), indices.data(), grad_in.mutable_data(), planes, oh * ow,
                           h * w));
    }
    return py::make_tuple(y, indices, grad_in);
}

// (avg, gradient of sum(avg * avg)) of float64 (P, H, W) planes.
py::tuple avg_pool_planes(py::array_t<double, Planes> x, int64_t kernel, int64_t stride,
                          int64_t padding, bool count_include_pad)
{
    if (x.ndim() != 3)
        throw std::invalid_argument("x must be (P, H, W)");
    int64_t planes = x.shape(0), h = x.shape(1), w = x.shape(2);
    cypool_geometry g = square_window(h, w, kernel, stride, padding);
    py::array_t<double> y({planes, g.out_size[1], g.out_size[2]});
    py::array_t<double> grad_in({planes, h, w});
    {
        py::gil_scoped_release release;
        check(cypool_avg_pool_forward_f64(x.data(), y.mutable_data(), &g, planes, 1,
                                          count_include_pad, 0, 2));
        check(cypool_avg_pool_backward_f64(y.data(), grad_in.mutable_data(), &g, planes, 1,
                                           count_include_pad, 0, 2));
    }
    return py::make_tuple(y, grad_in);
}

}  // namespace

PYBIND11_MODULE(c_api_demo_cpp, m)
{
    if (import_cypool() < 0)
        throw py::error_already_set();
    m.def("max_pool_planes", &max_pool_planes<float>);
    m.def("max_pool_planes", &max_pool_planes<uint8_t>);
    m.def("avg_pool_planes", &avg_pool_planes);
    m.attr("kernel_set") = cypool_api->kernel_set;
}
