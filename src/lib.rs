//! ccgw: client library for the Huawei CC-Gateway agent REST interface.
