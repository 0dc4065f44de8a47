namespace NormFree.Torch;

/// <summary>Operator handles, looked up once. Names follow ATen's registry ("aten::name" + overload).</summary>
internal static class Ops
{
    // arithmetic
    internal static readonly Op add = new("aten::add", "Tensor"), add_s = new("aten::add", "Scalar");
    internal static readonly Op add_ = new("aten::add_", "Tensor"), add_s_ = new("aten::add_", "Scalar");
    internal static readonly Op sub = new("aten::sub", "Tensor"), sub_s = new("aten::sub", "Scalar");
    internal static readonly Op sub_ = new("aten::sub_", "Tensor"), sub_s_ = new("aten::sub_", "Scalar");
    internal static readonly Op mul = new("aten::mul", "Tensor"), mul_s = new("aten::mul", "Scalar");
    internal static readonly Op mul_ = new("aten::mul_", "Tensor"), mul_s_ = new("aten::mul_", "Scalar");
    internal static readonly Op div = new("aten::div", "Tensor"), div_s = new("aten::div", "Scalar");
    internal static readonly Op div_ = new("aten::div_", "Tensor"), div_s_ = new("aten::div_", "Scalar");
    internal static readonly Op rsub_s = new("aten::rsub", "Scalar");
    internal static readonly Op neg = new("aten::neg");
    internal static readonly Op pow_s = new("aten::pow", "Tensor_Scalar"), pow_t = new("aten::pow", "Tensor_Tensor");
    internal static readonly Op exp = new("aten::exp"), log = new("aten::log"), sqrt = new("aten::sqrt");
    internal static readonly Op abs = new("aten::abs"), sign = new("aten::sign");
    internal static readonly Op clamp = new("aten::clamp"), clamp_ = new("aten::clamp_");
    internal static readonly Op addcmul_ = new("aten::addcmul_"), addcdiv_ = new("aten::addcdiv_");
    internal static readonly Op maximum = new("aten::maximum"), minimum = new("aten::minimum");

    // comparisons
    internal static readonly Op eq = new("aten::eq", "Tensor"), eq_s = new("aten::eq", "Scalar");
    internal static readonly Op ne = new("aten::ne", "Tensor"), ne_s = new("aten::ne", "Scalar");
    internal static readonly Op lt = new("aten::lt", "Tensor"), lt_s = new("aten::lt", "Scalar");
    internal static readonly Op le = new("aten::le", "Tensor"), le_s = new("aten::le", "Scalar");
    internal static readonly Op gt = new("aten::gt", "Tensor"), gt_s = new("aten::gt", "Scalar");
    internal static readonly Op ge = new("aten::ge", "Tensor"), ge_s = new("aten::ge", "Scalar");
    internal static readonly Op isfinite = new("aten::isfinite"), all = new("aten::all"), any = new("aten::any");
    internal static readonly Op allclose = new("aten::allclose"), equal = new("aten::equal");

    // reductions
    internal static readonly Op sum = new("aten::sum"), sum_dim = new("aten::sum", "dim_IntList");
    internal static readonly Op mean = new("aten::mean"), mean_dim = new("aten::mean", "dim");
    internal static readonly Op var_dim = new("aten::var", "dim"), std_dim = new("aten::std", "dim");
    internal static readonly Op max = new("aten::max"), max_dim = new("aten::max", "dim");
    internal static readonly Op min = new("aten::min"), min_dim = new("aten::min", "dim");
    internal static readonly Op argmax = new("aten::argmax"), argmin = new("aten::argmin");
    internal static readonly Op vector_norm = new("aten::linalg_vector_norm");
    internal static readonly Op logsumexp = new("aten::logsumexp");

    // linear algebra
    internal static readonly Op matmul = new("aten::matmul"), mm = new("aten::mm"), bmm = new("aten::bmm");
    internal static readonly Op t = new("aten::t"), linalg_qr = new("aten::linalg_qr"), diag = new("aten::diag");
    internal static readonly Op pdist = new("aten::pdist");

    // shape
    internal static readonly Op view = new("aten::view"), reshape = new("aten::reshape");
    internal static readonly Op permute = new("aten::permute"), transpose = new("aten::transpose", "int");
    internal static readonly Op flatten = new("aten::flatten", "using_ints");
    internal static readonly Op squeeze = new("aten::squeeze"), squeeze_dim = new("aten::squeeze", "dim");
    internal static readonly Op unsqueeze = new("aten::unsqueeze"), expand = new("aten::expand");
    internal static readonly Op cat = new("aten::cat"), stack = new("aten::stack"), chunk = new("aten::chunk");
    internal static readonly Op narrow = new("aten::narrow"), index_select = new("aten::index_select");
    internal static readonly Op select = new("aten::select", "int"), slice = new("aten::slice", "Tensor");
    internal static readonly Op gather = new("aten::gather"), masked_fill = new("aten::masked_fill", "Scalar");
    internal static readonly Op where = new("aten::where", "self"), index = new("aten::index", "Tensor");
    internal static readonly Op contiguous = new("aten::contiguous"), clone = new("aten::clone");
    internal static readonly Op detach = new("aten::detach"), repeat = new("aten::repeat");
    internal static readonly Op flip = new("aten::flip"), roll = new("aten::roll");

    // conversion and in-place fills
    internal static readonly Op to_dtype_layout = new("aten::to", "dtype_layout");
    internal static readonly Op copy_ = new("aten::copy_"), zero_ = new("aten::zero_"), fill_ = new("aten::fill_", "Scalar");
    internal static readonly Op uniform_ = new("aten::uniform_"), normal_ = new("aten::normal_");

    // factories
    internal static readonly Op zeros = new("aten::zeros"), ones = new("aten::ones"), full = new("aten::full");
    internal static readonly Op empty = new("aten::empty", "memory_format"), eye = new("aten::eye");
    internal static readonly Op arange = new("aten::arange", "start_step");
    internal static readonly Op rand = new("aten::rand"), rand_g = new("aten::rand", "generator");
    internal static readonly Op randn = new("aten::randn"), randn_g = new("aten::randn", "generator");
    internal static readonly Op randint = new("aten::randint", "low"), randint_g = new("aten::randint", "low_generator");
    internal static readonly Op randperm = new("aten::randperm"), randperm_g = new("aten::randperm", "generator");
    internal static readonly Op bernoulli = new("aten::bernoulli"), bernoulli_p = new("aten::bernoulli", "p");
    internal static readonly Op sample_dirichlet = new("aten::_sample_dirichlet");
    internal static readonly Op zeros_like = new("aten::zeros_like"), ones_like = new("aten::ones_like");
    internal static readonly Op randn_like = new("aten::randn_like"), rand_like = new("aten::rand_like");

    // neural-network functions
    internal static readonly Op conv2d = new("aten::conv2d"), linear = new("aten::linear");
    internal static readonly Op relu = new("aten::relu"), relu_ = new("aten::relu_");
    internal static readonly Op leaky_relu = new("aten::leaky_relu"), elu = new("aten::elu");
    internal static readonly Op sigmoid = new("aten::sigmoid"), tanh = new("aten::tanh");
    internal static readonly Op dropout = new("aten::dropout"), batch_norm = new("aten::batch_norm");
    internal static readonly Op avg_pool2d = new("aten::avg_pool2d"), max_pool2d = new("aten::max_pool2d");
    internal static readonly Op adaptive_avg_pool2d = new("aten::adaptive_avg_pool2d");
    internal static readonly Op constant_pad_nd = new("aten::constant_pad_nd"), reflection_pad2d = new("aten::reflection_pad2d");
    internal static readonly Op log_softmax = new("aten::log_softmax", "int"), softmax = new("aten::softmax", "int");
    internal static readonly Op cross_entropy = new("aten::cross_entropy_loss"), mse_loss = new("aten::mse_loss");
    internal static readonly Op nll_loss = new("aten::nll_loss");
}
